import type { Command } from '../command.js';
import { runCli } from '../cli.js';
import type { CliIo } from '../commands/support/cli-io.js';

export interface CapturedRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `proconsul ARGV` in-process with captured output and a chosen environment. */
export async function runCaptured(
  argv: readonly string[],
  opts: { env?: Record<string, string | undefined>; stdin?: string; signal?: AbortSignal; command?: Command } = {},
): Promise<CapturedRun> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (t) => (out += t.endsWith('\n') ? t : t + '\n'),
    err: (t) => (err += t.endsWith('\n') ? t : t + '\n'),
    env: opts.env ?? {},
    readStdin: async () => Buffer.from(opts.stdin ?? ''),
    signal: opts.signal,
  };
  const code = opts.command ? await opts.command.run(argv, io) : await runCli(argv, io);
  return { code, out, err };
}
