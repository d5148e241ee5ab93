export interface LoadResult {
  readonly ok: number;
  readonly errors: number;
  readonly seconds: number;
  /** Latency of each successful operation, ms (unsorted). */
  readonly latenciesMs: number[];
  readonly firstError?: string;
}

/**
 * Closed-loop load: `concurrency` workers each run `op` back to back until `durationMs`
 * has passed or `maxOps` operations were started, whichever comes first (bounded both
 * ways). `op` receives a global sequence number; a throw counts as an error.
 */
export async function closedLoop(
  concurrency: number,
  durationMs: number,
  maxOps: number,
  op: (seq: number) => Promise<unknown>,
): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let started = 0;
  let errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const deadline = t0 + durationMs;
  const worker = async () => {
    while (started < maxOps && performance.now() < deadline) {
      const seq = started++;
      const s = performance.now();
      try {
        await op(seq);
        latenciesMs.push(performance.now() - s);
      } catch (e) {
        errors++;
        firstError ??= e instanceof Error ? e.message : String(e);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  return { ok: latenciesMs.length, errors, seconds, latenciesMs, firstError };
}
