import { DefaultConfig, scaleByMultiplier, validateConfig, type RaftConfig } from '../core/raft-config.js';
import type { RaftSnapshotSettings } from '@proconsul/kernel';
import { RaftConfigInvalid } from '../errors.js';

/** This plugin's entry `config` in plugins.json (snake_case like Consul's raft_* keys). */
export interface RaftPluginConfig {
  readonly snapshot_threshold?: number;
  readonly trailing_logs?: number;
  /** Snapshot once the applied commands since the last snapshot hold this many bytes (RaftConfig.snapshotLogBytes). */
  readonly snapshot_log_bytes?: number;
  /** Keep at most this many bytes of commands behind a snapshot (RaftConfig.trailingLogBytes). */
  readonly trailing_log_bytes?: number;
  /** Duration string, e.g. "30s", "500ms", "2m". */
  readonly snapshot_interval?: string;
  readonly max_append_entries?: number;
  readonly max_inflight?: number;
  /**
   * Timing overrides (duration strings), applied after raft_multiplier scaling: for
   * in-process test clusters that must elect in well under a second, never for production.
   * The heartbeat interval follows heartbeat_timeout at a tenth of it, as hashicorp/raft.
   */
  readonly heartbeat_timeout?: string;
  readonly election_timeout?: string;
  readonly leader_lease_timeout?: string;
}

const defaults = DefaultConfig();
const DURATION = '^[0-9]+(ms|s|m|h)$';

export const raftConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    snapshot_threshold: { type: 'integer', minimum: 1, default: defaults.snapshotThreshold },
    trailing_logs: { type: 'integer', minimum: 0, default: defaults.trailingLogs },
    // No schema defaults: absent means DefaultConfig's, and a config file can tell the two apart.
    snapshot_log_bytes: { type: 'integer', minimum: 1 },
    trailing_log_bytes: { type: 'integer', minimum: 0 },
    snapshot_interval: { type: 'string', pattern: '^[0-9]+(ms|s|m|h)$', default: '30s' },
    max_append_entries: { type: 'integer', minimum: 1, maximum: 4096, default: defaults.maxAppendEntries },
    max_inflight: { type: 'integer', minimum: 1, maximum: 4096, default: defaults.maxInflight },
    heartbeat_timeout: { type: 'string', pattern: DURATION },
    election_timeout: { type: 'string', pattern: DURATION },
    leader_lease_timeout: { type: 'string', pattern: DURATION },
  },
} as const;

export function parseDurationMs(s: string, key = 'snapshot_interval'): number {
  const m = /^([0-9]+)(ms|s|m|h)$/.exec(s);
  if (!m) throw RaftConfigInvalid(key, `"${s}" is not a duration like 30s`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(m[1]) * unit;
}

/**
 * Defaults, then Consul's raft_multiplier scaling of the timings, then the plugin's settings,
 * then Consul's own agent keys (`raft_snapshot_threshold`, `raft_snapshot_interval`,
 * `raft_trailing_logs`): an operator's Consul config must take effect whatever plugins.json says.
 */
export function buildRaftConfig(plugin: RaftPluginConfig, raftMultiplier: number, agent: RaftSnapshotSettings = {}): RaftConfig {
  const scaled = scaleByMultiplier(DefaultConfig(), raftMultiplier);
  return validateConfig({
    ...scaled,
    ...(plugin.snapshot_threshold !== undefined ? { snapshotThreshold: plugin.snapshot_threshold } : {}),
    ...(plugin.trailing_logs !== undefined ? { trailingLogs: plugin.trailing_logs } : {}),
    ...(plugin.snapshot_log_bytes !== undefined ? { snapshotLogBytes: plugin.snapshot_log_bytes } : {}),
    ...(plugin.trailing_log_bytes !== undefined ? { trailingLogBytes: plugin.trailing_log_bytes } : {}),
    ...(plugin.snapshot_interval !== undefined ? { snapshotIntervalMs: parseDurationMs(plugin.snapshot_interval) } : {}),
    ...(plugin.max_append_entries !== undefined ? { maxAppendEntries: plugin.max_append_entries } : {}),
    ...(plugin.max_inflight !== undefined ? { maxInflight: plugin.max_inflight } : {}),
    ...(plugin.heartbeat_timeout !== undefined
      ? {
          heartbeatTimeoutMs: parseDurationMs(plugin.heartbeat_timeout, 'heartbeat_timeout'),
          heartbeatIntervalMs: Math.max(1, Math.floor(parseDurationMs(plugin.heartbeat_timeout, 'heartbeat_timeout') / 10)),
        }
      : {}),
    ...(plugin.election_timeout !== undefined
      ? { electionTimeoutMs: parseDurationMs(plugin.election_timeout, 'election_timeout') }
      : {}),
    ...(plugin.leader_lease_timeout !== undefined
      ? { leaderLeaseTimeoutMs: parseDurationMs(plugin.leader_lease_timeout, 'leader_lease_timeout') }
      : {}),
    ...(agent.threshold !== undefined ? { snapshotThreshold: agent.threshold } : {}),
    ...(agent.intervalMs !== undefined ? { snapshotIntervalMs: agent.intervalMs } : {}),
    ...(agent.trailingLogs !== undefined ? { trailingLogs: agent.trailingLogs } : {}),
  });
}
