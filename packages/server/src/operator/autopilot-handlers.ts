import { BadRequest, formatDuration } from '@proconsul/kernel';
import { OPERATOR_READ, OPERATOR_WRITE, type ServerHandler } from '../server/server-handler.js';
import type { Autopilot } from './autopilot.js';
import { asStoredConfig, autopilotConfigJson, type AutopilotConfig } from './autopilot-config.js';
import type { AutopilotConfigStore } from './autopilot-config-store.js';
import type { ClusterHealth } from './autopilot-health.js';
import { AutopilotNotInitialized } from './operator-errors.js';

export const AUTOPILOT_RPC = {
  getConfiguration: 'Operator.AutopilotGetConfiguration',
  getConfigurationStale: 'Operator.AutopilotGetConfigurationStale',
  setConfiguration: 'Operator.AutopilotSetConfiguration',
  serverHealth: 'Operator.ServerHealth',
  state: 'Operator.AutopilotState',
} as const;

/** Consul's `OperatorHealthReply` JSON: durations as Go strings, times as RFC 3339. */
export function healthJson(h: ClusterHealth): Record<string, unknown> {
  return {
    Healthy: h.Healthy,
    FailureTolerance: h.FailureTolerance,
    Servers: h.Servers.map((s) => ({
      ID: s.ID,
      Name: s.Name,
      Address: s.Address,
      SerfStatus: s.SerfStatus,
      Version: s.Version,
      Leader: s.Leader,
      LastContact: s.LastContactMs < 0 ? 'never' : formatDuration(s.LastContactMs),
      LastTerm: s.LastTerm,
      LastIndex: s.LastIndex,
      Healthy: s.Healthy,
      Voter: s.Voter,
      StableSince: rfc3339(s.StableSince),
    })),
  };
}

/** `GET /v1/operator/autopilot/state`: Consul's AutopilotState, without the enterprise parts. */
export function stateJson(h: ClusterHealth): Record<string, unknown> {
  const leader = h.Servers.find((s) => s.Leader);
  return {
    Healthy: h.Healthy,
    FailureTolerance: h.FailureTolerance,
    OptimisticFailureTolerance: Math.max(
      0,
      h.Servers.filter((s) => s.Voter).length - (Math.floor(h.Servers.filter((s) => s.Voter).length / 2) + 1),
    ),
    Servers: Object.fromEntries(
      h.Servers.map((s) => [
        s.ID,
        {
          ID: s.ID,
          Name: s.Name,
          Address: s.Address,
          NodeStatus: s.SerfStatus,
          Version: s.Version,
          LastContact: s.LastContactMs < 0 ? 'never' : formatDuration(s.LastContactMs),
          LastTerm: s.LastTerm,
          LastIndex: s.LastIndex,
          Healthy: s.Healthy,
          StableSince: rfc3339(s.StableSince),
          ReadReplica: false,
          Status: s.Leader ? 'leader' : s.Voter ? 'voter' : 'non-voter',
          Meta: {},
          NodeType: 'voter',
        },
      ]),
    ),
    Leader: leader?.ID ?? '',
    Voters: h.Servers.filter((s) => s.Voter).map((s) => s.ID),
  };
}

export function autopilotHandlers(store: () => AutopilotConfigStore, autopilot: () => Autopilot): ServerHandler[] {
  return [
    {
      name: AUTOPILOT_RPC.getConfiguration,
      leaderOnly: true,
      access: OPERATOR_READ,
      handle: async () => autopilotConfigJson(await store().getOrCreate()),
    },
    {
      name: AUTOPILOT_RPC.getConfigurationStale,
      leaderOnly: false,
      access: OPERATOR_READ,
      async handle() {
        const c = store().local();
        if (!c) throw AutopilotNotInitialized();
        return autopilotConfigJson(c);
      },
    },
    {
      name: AUTOPILOT_RPC.setConfiguration,
      leaderOnly: true,
      access: OPERATOR_WRITE,
      async handle(args) {
        const { config, cas } = (args ?? {}) as { config?: unknown; cas?: unknown };
        const parsed = asStoredConfig(config);
        if (!parsed) throw BadRequest('Error parsing autopilot config: missing configuration');
        const { CreateIndex: _c, ModifyIndex: _m, ...plain } = parsed;
        return store().set(plain as AutopilotConfig, typeof cas === 'number' ? cas : undefined);
      },
    },
    {
      name: AUTOPILOT_RPC.serverHealth,
      leaderOnly: true,
      access: OPERATOR_READ,
      handle: async () => healthJson(await autopilot().health()),
    },
    {
      name: AUTOPILOT_RPC.state,
      leaderOnly: true,
      access: OPERATOR_READ,
      handle: async () => stateJson(await autopilot().health()),
    },
  ];
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
