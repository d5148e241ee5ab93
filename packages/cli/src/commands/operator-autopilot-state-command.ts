import { attempt, defineCommand } from './support/define-command.js';

interface AutopilotServer {
  readonly ID: string;
  readonly Name: string;
  readonly Address: string;
  readonly NodeStatus: string;
  readonly Version: string;
  readonly LastContact: string;
  readonly LastTerm: number;
  readonly LastIndex: number;
  readonly Healthy: boolean;
  readonly StableSince: string;
  readonly Status: string;
  readonly NodeType?: string;
  readonly Meta?: Readonly<Record<string, string>>;
}

export interface AutopilotState {
  readonly Healthy: boolean;
  readonly FailureTolerance: number;
  readonly OptimisticFailureTolerance: number;
  readonly Leader: string;
  readonly Voters: readonly string[];
  readonly Servers: Readonly<Record<string, AutopilotServer>>;
}

/** Consul's pretty layout of `operator autopilot state`: the summary, then each server indented. */
export function renderAutopilotState(s: AutopilotState): string {
  const out = [
    `Healthy:                      ${s.Healthy}`,
    `Failure Tolerance:            ${s.FailureTolerance}`,
    `Optimistic Failure Tolerance: ${s.OptimisticFailureTolerance}`,
    `Leader:                       ${s.Leader}`,
    'Voters:',
    ...s.Voters.map((v) => `   ${v}`),
    '',
    'Servers:',
  ];
  for (const id of Object.keys(s.Servers).sort()) {
    const v = s.Servers[id]!;
    out.push(
      `   ${v.ID}`,
      `      Name:            ${v.Name}`,
      `      Address:         ${v.Address}`,
      `      Version:         ${v.Version}`,
      `      Status:          ${v.Status}`,
      `      Node Type:       ${v.NodeType ?? 'voter'}`,
      `      Node Status:     ${v.NodeStatus}`,
      `      Healthy:         ${v.Healthy}`,
      `      Last Contact:    ${v.LastContact}`,
      `      Last Term:       ${v.LastTerm}`,
      `      Last Index:      ${v.LastIndex}`,
      `      Stable Since:    ${v.StableSince}`,
    );
    const meta = Object.entries(v.Meta ?? {});
    if (meta.length > 0) out.push('      Meta', ...meta.map(([k, m]) => `         "${k}": "${m}"`));
    out.push('');
  }
  return out.join('\n').trimEnd();
}

export const operatorAutopilotStateCommand = defineCommand({
  name: 'state',
  synopsis: 'Display the current Autopilot State',
  usage: 'operator autopilot state [options]',
  description: 'Displays the current Autopilot state: health, failure tolerance, the leader, voters and each server.',
  http: 'server',
  flags: [{ name: 'format', kind: 'string', value: '<pretty|json>', default: 'pretty', usage: 'Output format: pretty or json.' }],
  async run({ io, client, flags }) {
    const format = flags.string('format');
    if (format !== 'pretty' && format !== 'json') {
      io.err(`Error: unknown -format "${format}" (must be pretty or json)`);
      return 1;
    }
    const r = await attempt(io, 'Error querying Autopilot state', () => client().get('/v1/operator/autopilot/state'));
    if (!r.ok) return 1;
    const state = r.value.json<AutopilotState>();
    io.out(format === 'json' ? JSON.stringify(state, null, 4) : renderAutopilotState(state));
    return 0;
  },
});
