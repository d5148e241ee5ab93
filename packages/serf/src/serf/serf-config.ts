import type { MemberlistConfig } from '../memberlist/config.js';

/** Serf-level tunables; durations in milliseconds. */
export interface SerfConfig {
  readonly memberlist: MemberlistConfig;
  readonly tags: Readonly<Record<string, string>>;
  readonly reconnectIntervalMs: number;
  readonly reconnectTimeoutMs: number;
  readonly tombstoneTimeoutMs: number;
  readonly reapIntervalMs: number;
  readonly recentIntentTimeoutMs: number;
  readonly eventBufferSize: number;
  readonly queryBufferSize: number;
  readonly userEventSizeLimit: number;
  readonly querySizeLimit: number;
  readonly queryResponseSizeLimit: number;
  readonly queryTimeoutMult: number;
  readonly userCoalescePeriodMs: number;
  readonly userQuiescentPeriodMs: number;
  readonly broadcastTimeoutMs: number;
  readonly leavePropagateDelayMs: number;
  /** File for the membership snapshot; undefined keeps nothing on disk (dev, simulation). */
  readonly snapshotPath: string | undefined;
  readonly rejoinAfterLeave: boolean;
  /** serf's DisableCoordinates: no Vivaldi coordinate on acks and none computed. */
  readonly disableCoordinates: boolean;
}

export function defaultSerfConfig(memberlist: MemberlistConfig, tags: Readonly<Record<string, string>> = {}): SerfConfig {
  return {
    memberlist,
    tags,
    reconnectIntervalMs: 30_000, // serf: retry a failed member every 30s; cheap, heals partitions
    reconnectTimeoutMs: 72 * 3600_000, // Consul's reconnect_timeout: failed members are kept 72h before reaping
    tombstoneTimeoutMs: 24 * 3600_000, // serf: left members are remembered 24h so stale gossip cannot resurrect them
    reapIntervalMs: 15_000, // serf: reaping is a cheap scan; 15s keeps lists tidy
    recentIntentTimeoutMs: 5 * 60_000, // serf: an intent for an unknown member stays useful ~5 min
    eventBufferSize: 512, // serf: de-duplicate user events over the last 512 Lamport ticks
    queryBufferSize: 512, // serf: same window for queries
    userEventSizeLimit: 512, // serf: user events ride on gossip packets; keep them small
    querySizeLimit: 1024, // serf: a query must fit in one UDP packet with headers
    queryResponseSizeLimit: 1024, // serf: responses go back in one UDP packet
    queryTimeoutMult: 16, // serf: timeout = gossip interval × 16 × ceil(log10(n+1))
    userCoalescePeriodMs: 3_000, // serf agent's coalesce window for coalescable user events
    userQuiescentPeriodMs: 1_000, // ...ended early after 1s of quiet
    broadcastTimeoutMs: 5_000, // serf: wait at most 5s for a leave intent to spread
    leavePropagateDelayMs: 1_000, // Consul: give the leave a moment to spread before going quiet
    snapshotPath: undefined,
    rejoinAfterLeave: false, // Consul's rejoin_after_leave default
    disableCoordinates: false, // Consul feeds coordinates on every pool
  };
}
