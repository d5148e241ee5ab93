import type { Command, CommandIo } from './command.js';
import { resolveCommand } from './commands/support/command-group.js';

/** A subcommand as the dispatcher lists it; its module is imported only when it is run. */
export interface CommandEntry {
  readonly name: string;
  /** Must equal the loaded command's synopsis (a test checks). */
  readonly synopsis: string;
  load(): Promise<Command>;
}

/**
 * Every subcommand, loaded on use: importing all of them cost each process (an agent too)
 * every command's modules and what they import (snapshot archives, stream client, templates).
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'acl',
    synopsis: 'Interact with Proconsul’s ACLs',
    load: async () => (await import('./commands/acl-command.js')).aclCommand,
  },
  {
    name: 'agent',
    synopsis: 'Runs a Proconsul agent',
    load: async () => (await import('./commands/agent-command.js')).agentCommand,
  },
  {
    name: 'catalog',
    synopsis: 'Interact with the catalog',
    load: async () => (await import('./commands/catalog-command.js')).catalogCommand,
  },
  {
    name: 'debug',
    synopsis: 'Records a debugging archive for operators',
    load: async () => (await import('./commands/debug-command.js')).debugCommand,
  },
  {
    name: 'event',
    synopsis: 'Fire a new event',
    load: async () => (await import('./commands/event-command.js')).eventCommand,
  },
  {
    name: 'exec',
    synopsis: 'Executes a command on Proconsul nodes',
    load: async () => (await import('./commands/exec-command.js')).execCommand,
  },
  {
    name: 'force-leave',
    synopsis: 'Forces a member of the cluster to enter the "left" state',
    load: async () => (await import('./commands/force-leave-command.js')).forceLeaveCommand,
  },
  {
    name: 'info',
    synopsis: 'Provides debugging information for operators.',
    load: async () => (await import('./commands/info-command.js')).infoCommand,
  },
  {
    name: 'join',
    synopsis: 'Tell the agent to join a cluster',
    load: async () => (await import('./commands/join-command.js')).joinCommand,
  },
  {
    name: 'keygen',
    synopsis: 'Generates a new encryption key',
    load: async () => (await import('./commands/keygen-command.js')).keygenCommand,
  },
  {
    name: 'keyring',
    synopsis: 'Manages gossip layer encryption keys',
    load: async () => (await import('./commands/keyring-command.js')).keyringCommand,
  },
  {
    name: 'kv',
    synopsis: 'Interact with the key-value store',
    load: async () => (await import('./commands/kv-command.js')).kvCommand,
  },
  {
    name: 'leave',
    synopsis: 'Gracefully leaves the cluster and shuts down',
    load: async () => (await import('./commands/leave-command.js')).leaveCommand,
  },
  {
    name: 'lock',
    synopsis: 'Execute a command holding a lock',
    load: async () => (await import('./commands/lock-command.js')).lockCommand,
  },
  {
    name: 'maint',
    synopsis: 'Controls node or service maintenance mode',
    load: async () => (await import('./commands/maint-command.js')).maintCommand,
  },
  {
    name: 'members',
    synopsis: 'Lists the members of a Proconsul cluster',
    load: async () => (await import('./commands/members-command.js')).membersCommand,
  },
  {
    name: 'monitor',
    synopsis: 'Stream logs from a Proconsul agent',
    load: async () => (await import('./commands/monitor-command.js')).monitorCommand,
  },
  {
    name: 'operator',
    synopsis: 'Provides cluster-level tools for operators',
    load: async () => (await import('./commands/operator-command.js')).operatorCommand,
  },
  {
    name: 'reload',
    synopsis: 'Triggers the agent to reload configuration files',
    load: async () => (await import('./commands/reload-command.js')).reloadCommand,
  },
  {
    name: 'rtt',
    synopsis: 'Estimates network round trip time between nodes',
    load: async () => (await import('./commands/rtt-command.js')).rttCommand,
  },
  {
    name: 'services',
    synopsis: 'Interact with services',
    load: async () => (await import('./commands/services-command.js')).servicesCommand,
  },
  {
    name: 'snapshot',
    synopsis: 'Saves, restores and inspects snapshots of Consul server state',
    load: async () => (await import('./commands/snapshot-command.js')).snapshotCommand,
  },
  {
    name: 'template',
    synopsis: 'Render templates from KV and the catalog (consul-template)',
    load: async () => (await import('./commands/template-command.js')).templateCommand,
  },
  {
    name: 'tls',
    synopsis: 'Builtin helpers for creating CAs and certificates',
    load: async () => (await import('./commands/tls-command.js')).tlsCommand,
  },
  {
    name: 'validate',
    synopsis: 'Validate config files/directories',
    load: async () => (await import('./commands/validate-command.js')).validateCommand,
  },
  {
    name: 'version',
    synopsis: 'Prints the Proconsul version',
    load: async () => (await import('./commands/version-command.js')).versionCommand,
  },
  {
    name: 'watch',
    synopsis: 'Watch for changes in Proconsul',
    load: async () => (await import('./commands/watch-command.js')).watchCommand,
  },
];

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
  if (name === '-v' || name === '-version' || name === '--version') return (await versionEntry().load()).run([], io);
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.err(`Unknown command: "${name}"\n\n${usage()}`);
    return 1;
  }
  const cmd = await entry.load();
  // Help flags count only before a `--`; `kv get -h` shows the help of `kv get`, not of `kv`.
  const { command: target, rest: after } = resolveCommand(cmd, rest);
  const end = after.indexOf('--');
  if ((end < 0 ? after : after.slice(0, end)).some((a) => a === '-h' || a === '-help' || a === '--help')) {
    io.out(target.help);
    return 0;
  }
  return cmd.run(rest, io);
}

function versionEntry(): CommandEntry {
  return COMMANDS.find((c) => c.name === 'version')!;
}
