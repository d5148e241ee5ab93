import { formatDuration } from '@proconsul/kernel';
import type { AutopilotConfiguration } from './operator-autopilot-get-config-command.js';
import { attempt, defineCommand } from './support/define-command.js';

/**
 * Consul's read-modify-write: read the configuration, change only the flags given, and
 * write it back with `?cas=<ModifyIndex>` so a concurrent change is not overwritten.
 */
export const operatorAutopilotSetConfigCommand = defineCommand({
  name: 'set-config',
  synopsis: 'Modify the current Autopilot configuration',
  usage: 'operator autopilot set-config [options]',
  description: 'Modifies the current Autopilot configuration; only the options given change.',
  http: 'server',
  flags: [
    {
      name: 'cleanup-dead-servers',
      kind: 'string',
      value: '[true|false]',
      usage: 'Controls whether Proconsul will automatically remove dead servers when new ones are successfully added.',
    },
    {
      name: 'max-trailing-logs',
      kind: 'uint',
      usage:
        'Controls the maximum number of log entries that a server can trail the leader by before being considered unhealthy.',
    },
    {
      name: 'min-quorum',
      kind: 'uint',
      usage: 'Sets the minimum number of servers required in a cluster before autopilot can prune dead servers.',
    },
    {
      name: 'last-contact-threshold',
      kind: 'duration',
      usage:
        'Controls the maximum amount of time a server can go without contact from the leader before being considered unhealthy.',
    },
    {
      name: 'server-stabilization-time',
      kind: 'duration',
      usage:
        "Controls the minimum amount of time a server must be stable in the 'healthy' state before being added to the cluster.",
    },
    {
      name: 'redundancy-zone-tag',
      kind: 'string',
      usage: 'Controls the node_meta tag name used for separating servers into different redundancy zones.',
    },
    {
      name: 'disable-upgrade-migration',
      kind: 'string',
      value: '[true|false]',
      usage: 'Controls whether Proconsul will avoid promoting new servers until it can perform a migration.',
    },
    {
      name: 'upgrade-version-tag',
      kind: 'string',
      usage: 'Controls the node_meta tag name used for version info when performing upgrade migrations.',
    },
  ],
  async run({ io, client, flags }) {
    const bools: Record<string, boolean> = {};
    for (const name of ['cleanup-dead-servers', 'disable-upgrade-migration']) {
      if (!flags.given.has(name)) continue;
      const v = flags.string(name);
      if (v !== 'true' && v !== 'false') {
        io.err(`Error parsing value for -${name}: "${v}" is not true or false`);
        return 1;
      }
      bools[name] = v === 'true';
    }
    const r = await attempt(io, 'Error querying Autopilot configuration', () =>
      client().get('/v1/operator/autopilot/configuration'),
    );
    if (!r.ok) return 1;
    const cur = r.value.json<AutopilotConfiguration>();
    const given = (n: string) => flags.given.has(n);
    const next: AutopilotConfiguration = {
      ...cur,
      ...('cleanup-dead-servers' in bools && { CleanupDeadServers: bools['cleanup-dead-servers']! }),
      ...(given('max-trailing-logs') && { MaxTrailingLogs: flags.number('max-trailing-logs') }),
      ...(given('min-quorum') && { MinQuorum: flags.number('min-quorum') }),
      ...(given('last-contact-threshold') && { LastContactThreshold: formatDuration(flags.number('last-contact-threshold')) }),
      ...(given('server-stabilization-time') && {
        ServerStabilizationTime: formatDuration(flags.number('server-stabilization-time')),
      }),
      ...(given('redundancy-zone-tag') && { RedundancyZoneTag: flags.string('redundancy-zone-tag') }),
      ...('disable-upgrade-migration' in bools && { DisableUpgradeMigration: bools['disable-upgrade-migration']! }),
      ...(given('upgrade-version-tag') && { UpgradeVersionTag: flags.string('upgrade-version-tag') }),
    };
    const { CreateIndex: _c, ModifyIndex, ...body } = next;
    const w = await attempt(io, 'Error setting Autopilot configuration', () =>
      client().put('/v1/operator/autopilot/configuration', { body, query: { cas: ModifyIndex ?? 0 } }),
    );
    if (!w.ok) return 1;
    if (w.value.json<boolean>() !== true) {
      io.out('Configuration could not be atomically updated, please try again');
      return 1;
    }
    io.out('Configuration updated!');
    return 0;
  },
});
