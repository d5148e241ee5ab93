import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';

/**
 * How Consul starts handlers and lock children: with `-shell` (the default) the arguments are
 * joined and run by `$SHELL -c` (or /bin/sh), otherwise the first argument is executed directly
 * with the rest as its arguments, no shell involved.
 */
export function spawnHandler(
  args: readonly string[],
  opts: { shell: boolean; env: NodeJS.ProcessEnv; stdio: StdioOptions },
): ChildProcess {
  if (opts.shell) {
    const shell = opts.env.SHELL || '/bin/sh';
    return spawn(shell, ['-c', args.join(' ')], { env: opts.env, stdio: opts.stdio });
  }
  return spawn(args[0]!, args.slice(1), { env: opts.env, stdio: opts.stdio });
}

/** Resolves with the exit code (128+n for a signal, as shells report it) or rejects if it cannot start. */
export function waitForExit(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? 128 + signalNumber(signal)));
  });
}

function signalNumber(signal: NodeJS.Signals | null): number {
  const table: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };
  return (signal && table[signal]) || 0;
}

/**
 * A watch handler run for one change: `input` on its stdin, its output on ours. Resolves with
 * undefined when it exited 0, else with Consul's error line (could not start, or its exit status).
 */
export async function runWatchHandler(
  args: readonly string[],
  opts: { shell: boolean; env: NodeJS.ProcessEnv },
  input: string,
): Promise<string | undefined> {
  const child = spawnHandler(args, { ...opts, stdio: ['pipe', 'inherit', 'inherit'] });
  child.stdin!.on('error', () => undefined); // a handler that ignores stdin may close it early
  child.stdin!.end(input);
  let code: number;
  try {
    code = await waitForExit(child);
  } catch (e) {
    return `Error starting handler: ${(e as Error).message}`;
  }
  return code === 0 ? undefined : `Error executing handler: ${exitStatusText(code)}`;
}

/** Consul's "exit status N" wording for a failed child. */
export function exitStatusText(code: number): string {
  return `exit status ${code}`;
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
