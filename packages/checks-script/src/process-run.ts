import { spawn } from 'node:child_process';
import { TailBuffer } from './tail-buffer.js';

export interface ProcessOutcome {
  /** Exit code, or null when killed by a signal or never started. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** stdout and stderr interleaved, last 4 KiB (with Consul's "Captured N of M bytes" note). */
  readonly output: string;
  /** Set when the program could not be started (ENOENT, EACCES…). */
  readonly startError?: Error;
  /** True when `signal` fired and the process group was killed. */
  readonly killed: boolean;
}

/**
 * How long to wait for the output pipes to close after the process exited: a grandchild that
 * left the process group may hold them open forever.
 */
const PIPE_DRAIN_MS = 200;

/**
 * Run `args` without a shell in its own process group (detached), so a timeout can kill the
 * script and everything it started with one process.kill(-pid). Never rejects.
 */
export function runProcess(args: readonly string[], signal: AbortSignal, outputMax: number): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    const out = new TailBuffer(outputMax);
    let killed = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let finished = false;
    const child = spawn(args[0]!, args.slice(1), { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });

    const finish = (extra?: Partial<ProcessOutcome>) => {
      if (finished) return;
      finished = true;
      signal.removeEventListener('abort', kill);
      resolve({ code: exit?.code ?? null, signal: exit?.signal ?? null, output: out.toString(), killed, ...extra });
    };
    const kill = () => {
      killed = true;
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // ESRCH: the group is already gone.
      }
    };

    child.stdout.on('data', (c: Buffer) => out.write(c));
    child.stderr.on('data', (c: Buffer) => out.write(c));
    child.once('error', (err) => finish({ startError: err }));
    child.once('exit', (code, sig) => {
      exit = { code, signal: sig };
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish();
      }, PIPE_DRAIN_MS).unref();
    });
    child.once('close', () => finish());
    if (signal.aborted) kill();
    else signal.addEventListener('abort', kill, { once: true });
  });
}
