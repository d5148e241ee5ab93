import type { Command, CommandIo } from '../../command.js';

/** A command made of subcommands (`kv get`, `operator raft list-peers`). */
export interface CommandGroup extends Command {
  readonly subcommands: readonly Command[];
}

export function isCommandGroup(c: Command): c is CommandGroup {
  return Array.isArray((c as Partial<CommandGroup>).subcommands);
}

export function commandGroup(name: string, synopsis: string, usage: string, subcommands: readonly Command[]): CommandGroup {
  const width = Math.max(...subcommands.map((c) => c.name.length)) + 4;
  const help =
    `Usage: proconsul ${usage} <subcommand> [options] [args]\n\n  ${synopsis}.\n\nSubcommands:\n` +
    subcommands.map((c) => `    ${c.name.padEnd(width)}${c.synopsis}`).join('\n');
  return {
    name,
    synopsis,
    help,
    subcommands,
    async run(args: readonly string[], io: CommandIo) {
      const [sub, ...rest] = args;
      if (sub === undefined) {
        io.err(help);
        return 1;
      }
      const cmd = subcommands.find((c) => c.name === sub);
      if (!cmd) {
        io.err(`Unknown subcommand "${sub}" for "${usage}"\n\n${help}`);
        return 1;
      }
      return cmd.run(rest, io);
    },
  };
}

/**
 * Walks `argv` down nested groups; returns the deepest command named and the arguments left.
 * Used by the dispatcher so `kv get -h` shows the help of `kv get`, not of `kv`.
 */
export function resolveCommand(root: Command, argv: readonly string[]): { command: Command; rest: readonly string[] } {
  let command = root;
  let rest = argv;
  while (isCommandGroup(command) && rest.length > 0) {
    const next = command.subcommands.find((c) => c.name === rest[0]);
    if (!next) break;
    command = next;
    rest = rest.slice(1);
  }
  return { command, rest };
}
