import type { Command, CommandIo } from './command.js';
import { agentCommand } from './commands/agent-command.js';
import { versionCommand } from './commands/version-command.js';

export const COMMANDS: readonly Command[] = [agentCommand, versionCommand];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 4;
  return (
    'Usage: proconsul [--version] [--help] <command> [<args>]\n\nAvailable commands are:\n' +
    COMMANDS.map((c) => `    ${c.name.padEnd(width)}${c.synopsis}`).join('\n')
  );
}

/** Dispatch to a subcommand; returns the exit code (1 for usage errors, as Consul). */
export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '-help' || name === '--help') {
    io.err(usage());
    return name === undefined ? 1 : 0;
  }
  if (name === '-v' || name === '-version' || name === '--version') return versionCommand.run([], io);
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.err(`Unknown command: "${name}"\n\n${usage()}`);
    return 1;
  }
  if (rest.some((a) => a === '-h' || a === '-help' || a === '--help')) {
    io.out(cmd.help);
    return 0;
  }
  return cmd.run(rest, io);
}
