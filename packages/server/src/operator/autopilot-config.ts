import { BadRequest, formatDuration, parseDuration, type AutopilotSettings } from '@proconsul/kernel';

/** Autopilot settings as stored (system metadata key {@link AUTOPILOT_META_KEY}); durations in ms. */
export interface AutopilotConfig {
  readonly CleanupDeadServers: boolean;
  readonly LastContactThresholdMs: number;
  readonly MaxTrailingLogs: number;
  readonly MinQuorum: number;
  readonly ServerStabilizationTimeMs: number;
  readonly RedundancyZoneTag: string;
  readonly DisableUpgradeMigration: boolean;
  readonly UpgradeVersionTag: string;
}

export interface StoredAutopilotConfig extends AutopilotConfig {
  readonly CreateIndex: number;
  readonly ModifyIndex: number;
}

export const AUTOPILOT_META_KEY = 'autopilot';

/** Consul's defaults (agent config `autopilot {}` block). */
export const DEFAULT_AUTOPILOT_CONFIG: AutopilotConfig = {
  CleanupDeadServers: true,
  LastContactThresholdMs: 200,
  MaxTrailingLogs: 250,
  MinQuorum: 0,
  ServerStabilizationTimeMs: 10_000,
  RedundancyZoneTag: '',
  DisableUpgradeMigration: false,
  UpgradeVersionTag: '',
};

/** Consul's defaults overlaid with the agent config's `autopilot {}` block. */
export function initialAutopilotConfig(s: AutopilotSettings): AutopilotConfig {
  const d = DEFAULT_AUTOPILOT_CONFIG;
  return {
    CleanupDeadServers: s.cleanupDeadServers ?? d.CleanupDeadServers,
    LastContactThresholdMs: s.lastContactThresholdMs ?? d.LastContactThresholdMs,
    MaxTrailingLogs: s.maxTrailingLogs ?? d.MaxTrailingLogs,
    MinQuorum: s.minQuorum ?? d.MinQuorum,
    ServerStabilizationTimeMs: s.serverStabilizationTimeMs ?? d.ServerStabilizationTimeMs,
    RedundancyZoneTag: s.redundancyZoneTag ?? d.RedundancyZoneTag,
    DisableUpgradeMigration: s.disableUpgradeMigration ?? d.DisableUpgradeMigration,
    UpgradeVersionTag: s.upgradeVersionTag ?? d.UpgradeVersionTag,
  };
}

/** The JSON of `GET /v1/operator/autopilot/configuration`. */
export function autopilotConfigJson(c: StoredAutopilotConfig): Record<string, unknown> {
  return {
    CleanupDeadServers: c.CleanupDeadServers,
    LastContactThreshold: formatDuration(c.LastContactThresholdMs),
    MaxTrailingLogs: c.MaxTrailingLogs,
    MinQuorum: c.MinQuorum,
    ServerStabilizationTime: formatDuration(c.ServerStabilizationTimeMs),
    RedundancyZoneTag: c.RedundancyZoneTag,
    DisableUpgradeMigration: c.DisableUpgradeMigration,
    UpgradeVersionTag: c.UpgradeVersionTag,
    CreateIndex: c.CreateIndex,
    ModifyIndex: c.ModifyIndex,
  };
}

/**
 * A `PUT` body. As in Consul the body replaces the whole configuration: a missing field
 * takes its zero value, not the current one. Keys match case-insensitively (Go's JSON
 * decoding); durations are Go duration strings or numbers of nanoseconds.
 */
export function parseAutopilotConfigBody(body: unknown): AutopilotConfig {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('body must be a JSON object');
  const fields = new Map(Object.entries(body as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
  const bool = (k: string) => {
    const v = fields.get(k.toLowerCase());
    if (v === undefined || v === null) return false;
    if (typeof v !== 'boolean') throw invalid(`${k} must be a boolean`);
    return v;
  };
  const uint = (k: string) => {
    const v = fields.get(k.toLowerCase());
    if (v === undefined || v === null) return 0;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw invalid(`${k} must be a non-negative integer`);
    return v;
  };
  const str = (k: string) => {
    const v = fields.get(k.toLowerCase());
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') throw invalid(`${k} must be a string`);
    return v;
  };
  const dur = (k: string) => {
    const v = fields.get(k.toLowerCase());
    if (v === undefined || v === null) return 0;
    if (typeof v !== 'string' && typeof v !== 'number') throw invalid(`${k} must be a duration`);
    try {
      return parseDuration(v);
    } catch (e) {
      throw invalid((e as Error).message);
    }
  };
  return {
    CleanupDeadServers: bool('CleanupDeadServers'),
    LastContactThresholdMs: dur('LastContactThreshold'),
    MaxTrailingLogs: uint('MaxTrailingLogs'),
    MinQuorum: uint('MinQuorum'),
    ServerStabilizationTimeMs: dur('ServerStabilizationTime'),
    RedundancyZoneTag: str('RedundancyZoneTag'),
    DisableUpgradeMigration: bool('DisableUpgradeMigration'),
    UpgradeVersionTag: str('UpgradeVersionTag'),
  };
}

/** Values decoded from the replicated store or an RPC body, shaped back into a config. */
export function asStoredConfig(v: unknown): StoredAutopilotConfig | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Partial<StoredAutopilotConfig>;
  return { ...DEFAULT_AUTOPILOT_CONFIG, ...o, CreateIndex: Number(o.CreateIndex ?? 0), ModifyIndex: Number(o.ModifyIndex ?? 0) };
}

function invalid(reason: string) {
  return BadRequest(`Error parsing autopilot config: ${reason}`);
}
