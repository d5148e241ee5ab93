import type { CommandIo } from '../../command.js';

/**
 * What the commands in this folder may additionally use from their caller. Both are optional so
 * `processIo` works unchanged: stdin defaults to the process's, and without a signal the
 * long-running commands (watch, lock) stop on SIGINT/SIGTERM only.
 */
export interface CliIo extends CommandIo {
  /** Reads all of stdin; called at most once per command run. */
  readonly readStdin?: () => Promise<Buffer>;
  /** Aborting ends a long-running command (watch) as an interrupt would. */
  readonly signal?: AbortSignal;
}

export async function readAllStdin(io: CommandIo): Promise<Buffer> {
  const custom = (io as CliIo).readStdin;
  if (custom) return custom();
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
