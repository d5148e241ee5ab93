import type { MemberStatus } from '@proconsul/kernel';
import type { AutopilotConfig } from './autopilot-config.js';

/** What a server reports about its own raft log (Consul's Status.RaftStats). */
export interface ServerStatsSample {
  /** ms since it last heard from the leader; 0 on the leader, negative when never. */
  readonly lastContactMs: number;
  readonly lastTerm: number;
  readonly lastIndex: number;
}

/** One raft server as the leader sees it in one health round. */
export interface ServerObservation {
  readonly id: string;
  readonly name: string;
  readonly address: string;
  readonly voter: boolean;
  readonly leader: boolean;
  /** Gossip status; 'none' when gossip does not know the server. */
  readonly serfStatus: MemberStatus;
  readonly version: string;
  /** Undefined when the server did not answer the stats call. */
  readonly stats: ServerStatsSample | undefined;
}

export interface ServerHealth {
  readonly ID: string;
  readonly Name: string;
  readonly Address: string;
  readonly SerfStatus: MemberStatus;
  readonly Version: string;
  readonly Leader: boolean;
  readonly LastContactMs: number;
  readonly LastTerm: number;
  readonly LastIndex: number;
  readonly Healthy: boolean;
  readonly Voter: boolean;
  /** Epoch ms when Healthy last changed (or when autopilot first saw the server). */
  readonly StableSince: number;
}

export interface ClusterHealth {
  readonly Healthy: boolean;
  readonly FailureTolerance: number;
  readonly Servers: readonly ServerHealth[];
}

/**
 * Consul's server health rule: alive in gossip, heard from the leader within
 * LastContactThreshold, on the leader's last log term, and at most MaxTrailingLogs behind
 * the leader's last index.
 *
 * `heartbeatIntervalMs` is how often an idle leader contacts a follower. A follower's last
 * contact grows to that interval between heartbeats, so the threshold is never taken below
 * two intervals: at the default raft_multiplier 5 (500 ms heartbeats) a 200 ms threshold
 * would call an idle, perfectly current follower unhealthy most of the time, and a
 * restarted server would wait as a non-voter for a stable window it rarely gets.
 */
export function isServerHealthy(
  o: ServerObservation,
  leader: ServerStatsSample | undefined,
  config: AutopilotConfig,
  heartbeatIntervalMs = 0,
): boolean {
  if (o.serfStatus !== 'alive' || !o.stats || !leader) return false;
  const s = o.stats;
  const contactLimit = Math.max(config.LastContactThresholdMs, 2 * heartbeatIntervalMs);
  if (s.lastContactMs < 0 || s.lastContactMs > contactLimit) return false;
  if (s.lastTerm !== leader.lastTerm) return false;
  if (leader.lastIndex > config.MaxTrailingLogs && s.lastIndex < leader.lastIndex - config.MaxTrailingLogs) return false;
  return true;
}

/** Healthy voters beyond the quorum: how many voters may fail without losing it. */
export function failureTolerance(servers: readonly Pick<ServerHealth, 'Voter' | 'Healthy'>[]): number {
  const voters = servers.filter((s) => s.Voter);
  const healthy = voters.filter((s) => s.Healthy).length;
  const quorum = Math.floor(voters.length / 2) + 1;
  return Math.max(0, healthy - quorum);
}

/**
 * Turns rounds of observations into health with StableSince: the time a server's health
 * last flipped is remembered across rounds. Pure apart from that memory; time is passed in.
 * Not shared between leaders: a new leader starts counting stability afresh, as Consul does.
 */
export class HealthTracker {
  private readonly last = new Map<string, { healthy: boolean; since: number }>();

  constructor(private readonly heartbeatIntervalMs = 0) {}

  update(observations: readonly ServerObservation[], config: AutopilotConfig, now: number): ClusterHealth {
    const leaderStats = observations.find((o) => o.leader)?.stats;
    const seen = new Set<string>();
    const servers = observations.map((o): ServerHealth => {
      seen.add(o.id);
      const healthy = isServerHealthy(o, leaderStats, config, this.heartbeatIntervalMs);
      const prev = this.last.get(o.id);
      const since = prev && prev.healthy === healthy ? prev.since : now;
      this.last.set(o.id, { healthy, since });
      return {
        ID: o.id,
        Name: o.name,
        Address: o.address,
        SerfStatus: o.serfStatus,
        Version: o.version,
        Leader: o.leader,
        LastContactMs: o.stats?.lastContactMs ?? -1,
        LastTerm: o.stats?.lastTerm ?? 0,
        LastIndex: o.stats?.lastIndex ?? 0,
        Healthy: healthy,
        Voter: o.voter,
        StableSince: since,
      };
    });
    for (const id of [...this.last.keys()]) if (!seen.has(id)) this.last.delete(id);
    return { Healthy: servers.every((s) => s.Healthy), FailureTolerance: failureTolerance(servers), Servers: servers };
  }

  reset(): void {
    this.last.clear();
  }
}
