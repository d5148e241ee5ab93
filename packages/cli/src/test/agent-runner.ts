import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The `proconsul` bin users run: the bundle when it is current (bundle-launcher.test.ts checks it is), else the tsc output. */
export const MAIN = fileURLToPath(new URL('../../bin/proconsul.js', import.meta.url));

export interface RunningAgent {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the exit code once the process ends. */
  readonly exited: Promise<number | null>;
}

/**
 * Start `proconsul ARGS` as a child process, collecting stdout+stderr; `env` adds to this
 * process's environment, `nodeFlags` go to node before the bin.
 */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, nodeFlags: readonly string[] = []): RunningAgent {
  const child = spawn(process.execPath, [...nodeFlags, MAIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Poll an HTTP URL until it answers 200 or the deadline passes (bounded: ~30s; agents start slowly on a loaded 2-core machine). */
export async function waitForHttp(url: string, timeoutMs = 30_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return res;
      last = res.status;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer in ${timeoutMs}ms: ${String(last)}`);
}
