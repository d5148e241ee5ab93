/**
 * An AbortSignal that fires on SIGINT/SIGTERM (or when the caller's own signal aborts), for the
 * long-running commands. `dispose` removes the process listeners so in-process runs don't leak.
 */
export function shutdownSignal(outer?: AbortSignal): {
  signal: AbortSignal;
  received: () => NodeJS.Signals | undefined;
  dispose(): void;
} {
  const ctl = new AbortController();
  let got: NodeJS.Signals | undefined;
  const onSignal = (s: NodeJS.Signals) => {
    got = s;
    ctl.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const onOuter = () => ctl.abort();
  outer?.addEventListener('abort', onOuter, { once: true });
  if (outer?.aborted) ctl.abort();
  return {
    signal: ctl.signal,
    received: () => got,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      outer?.removeEventListener('abort', onOuter);
    },
  };
}
