import { attempt, defineCommand } from './support/define-command.js';

export interface AutopilotConfiguration {
  readonly CleanupDeadServers: boolean;
  readonly LastContactThreshold: string;
  readonly MaxTrailingLogs: number;
  readonly MinQuorum: number;
  readonly ServerStabilizationTime: string;
  readonly RedundancyZoneTag: string;
  readonly DisableUpgradeMigration: boolean;
  readonly UpgradeVersionTag: string;
  readonly CreateIndex?: number;
  readonly ModifyIndex?: number;
}

/** Consul's `key = value` lines, strings quoted. */
export function renderAutopilotConfig(c: AutopilotConfiguration): string {
  return [
    `CleanupDeadServers = ${c.CleanupDeadServers}`,
    `LastContactThreshold = ${c.LastContactThreshold}`,
    `MaxTrailingLogs = ${c.MaxTrailingLogs}`,
    `MinQuorum = ${c.MinQuorum}`,
    `ServerStabilizationTime = ${c.ServerStabilizationTime}`,
    `RedundancyZoneTag = ${JSON.stringify(c.RedundancyZoneTag ?? '')}`,
    `DisableUpgradeMigration = ${c.DisableUpgradeMigration}`,
    `UpgradeVersionTag = ${JSON.stringify(c.UpgradeVersionTag ?? '')}`,
  ].join('\n');
}

export const operatorAutopilotGetConfigCommand = defineCommand({
  name: 'get-config',
  synopsis: 'Display the current Autopilot configuration',
  usage: 'operator autopilot get-config [options]',
  description: 'Displays the current Autopilot configuration.',
  http: 'server',
  flags: [],
  async run({ io, client }) {
    const r = await attempt(io, 'Error querying Autopilot configuration', () =>
      client().get('/v1/operator/autopilot/configuration'),
    );
    if (!r.ok) return 1;
    io.out(renderAutopilotConfig(r.value.json<AutopilotConfiguration>()));
    return 0;
  },
});
