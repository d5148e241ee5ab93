import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { trackPid, untrackPid } from './bench-cleanup.js';

export interface SpawnedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** stdout+stderr of the process, kept for the post-mortem when a bench fails. */
  readonly logFile: string;
  /** True once the process has exited. */
  exited(): boolean;
}

/**
 * Start a long-running process with its output in `logFile` (a pipe would fill up and
 * stall a chatty agent nobody reads). It is killed when the bench exits.
 */
export function spawnLogged(
  name: string,
  command: string,
  args: readonly string[],
  logFile: string,
  env?: NodeJS.ProcessEnv,
): SpawnedProcess {
  const fd = openSync(logFile, 'a');
  const child = spawn(command, args, { stdio: ['ignore', fd, fd], env: env ?? process.env });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  const pid = child.pid;
  trackPid(pid);
  let done = false;
  child.once('exit', () => {
    done = true;
    untrackPid(pid);
  });
  return { name, child, pid, logFile, exited: () => done };
}

/** Ask a process to stop (`signal`), SIGKILL it after `graceMs`; resolves once it has exited. */
export async function stopProcess(p: SpawnedProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<void> {
  if (p.exited()) return;
  const exited = new Promise<void>((resolve) => p.child.once('exit', () => resolve()));
  p.child.kill(signal);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Poll `probe` every `intervalMs` until it returns a value other than undefined, or throw after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastErr ? `: ${String(lastErr)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
