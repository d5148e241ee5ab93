import type { Command, CommandIo } from './command.js';
import { aclCommand } from './commands/acl-command.js';
import { agentCommand } from './commands/agent-command.js';
import { versionCommand } from './commands/version-command.js';
import { catalogCommand } from './commands/catalog-command.js';
import { debugCommand } from './commands/debug-command.js';
import { eventCommand } from './commands/event-command.js';
import { execCommand } from './commands/exec-command.js';
import { forceLeaveCommand } from './commands/force-leave-command.js';
import { infoCommand } from './commands/info-command.js';
import { joinCommand } from './commands/join-command.js';
import { keygenCommand } from './commands/keygen-command.js';
import { keyringCommand } from './commands/keyring-command.js';
import { kvCommand } from './commands/kv-command.js';
import { leaveCommand } from './commands/leave-command.js';
import { lockCommand } from './commands/lock-command.js';
import { maintCommand } from './commands/maint-command.js';
import { membersCommand } from './commands/members-command.js';
import { monitorCommand } from './commands/monitor-command.js';
import { operatorCommand } from './commands/operator-command.js';
import { reloadCommand } from './commands/reload-command.js';
import { rttCommand } from './commands/rtt-command.js';
import { servicesCommand } from './commands/services-command.js';
import { snapshotCommand } from './commands/snapshot-command.js';
import { tlsCommand } from './commands/tls-command.js';
import { validateCommand } from './commands/validate-command.js';
import { templateCommand } from './commands/template-command.js';
import { watchCommand } from './commands/watch-command.js';
import { resolveCommand } from './commands/support/command-group.js';

export const COMMANDS: readonly Command[] = [
  aclCommand,
  agentCommand,
  catalogCommand,
  debugCommand,
  eventCommand,
  execCommand,
  forceLeaveCommand,
  infoCommand,
  joinCommand,
  keygenCommand,
  keyringCommand,
  kvCommand,
  leaveCommand,
  lockCommand,
  maintCommand,
  membersCommand,
  monitorCommand,
  operatorCommand,
  reloadCommand,
  rttCommand,
  servicesCommand,
  snapshotCommand,
  templateCommand,
  tlsCommand,
  validateCommand,
  versionCommand,
  watchCommand,
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
  if (name === '-v' || name === '-version' || name === '--version') return versionCommand.run([], io);
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.err(`Unknown command: "${name}"\n\n${usage()}`);
    return 1;
  }
  // Help flags count only before a `--`; `kv get -h` shows the help of `kv get`, not of `kv`.
  const { command: target, rest: after } = resolveCommand(cmd, rest);
  const end = after.indexOf('--');
  if ((end < 0 ? after : after.slice(0, end)).some((a) => a === '-h' || a === '-help' || a === '--help')) {
    io.out(target.help);
    return 0;
  }
  return cmd.run(rest, io);
}
