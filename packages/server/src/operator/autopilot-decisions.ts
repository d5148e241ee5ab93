import type { MemberStatus, RaftServer } from '@proconsul/kernel';
import type { AutopilotConfig } from './autopilot-config.js';
import type { ServerHealth } from './autopilot-health.js';

export interface RemovalInput {
  readonly raft: readonly RaftServer[];
  /** Raft server ID → gossip status, for every server gossip knows. */
  readonly known: ReadonlyMap<string, MemberStatus>;
  readonly leaderId: string;
  readonly config: AutopilotConfig;
}

/**
 * Dead server cleanup: which raft servers to remove, in order. Stale servers (in raft,
 * unknown to gossip) go before failed or left ones, non-voters before voters. Voters are
 * removed only while a majority of the voters stays (at most (voters-1)/2 per round,
 * Consul's autopilot rule) and never below MinQuorum; the leader never removes itself.
 */
export function planDeadServerRemovals(input: RemovalInput): string[] {
  if (!input.config.CleanupDeadServers) return [];
  const staleVoters: string[] = [];
  const staleNonVoters: string[] = [];
  const failedVoters: string[] = [];
  const failedNonVoters: string[] = [];
  for (const s of input.raft) {
    if (s.id === input.leaderId) continue;
    const status = input.known.get(s.id);
    const voter = s.suffrage === 'voter';
    if (status === undefined) (voter ? staleVoters : staleNonVoters).push(s.id);
    else if (status !== 'alive') (voter ? failedVoters : failedNonVoters).push(s.id);
  }
  let voters = input.raft.filter((s) => s.suffrage === 'voter').length;
  const out: string[] = [];
  for (const batch of [staleNonVoters, staleVoters, failedNonVoters, failedVoters]) {
    let maxRemoval = Math.floor((voters - 1) / 2);
    for (const id of batch.sort()) {
      const voter = input.raft.find((s) => s.id === id)?.suffrage === 'voter';
      if (!voter) {
        out.push(id);
        continue;
      }
      if (voters - 1 < input.config.MinQuorum || maxRemoval < 1) continue;
      maxRemoval--;
      voters--;
      out.push(id);
    }
  }
  return out;
}

/**
 * Server stabilization: non-voters healthy for at least ServerStabilizationTime become
 * voters. `eligible` says whether a server may vote at all (read replicas may not).
 */
export function planPromotions(
  servers: readonly ServerHealth[],
  config: AutopilotConfig,
  now: number,
  eligible: (id: string) => boolean = () => true,
): string[] {
  return servers
    .filter((s) => !s.Voter && s.Healthy && now - s.StableSince >= config.ServerStabilizationTimeMs && eligible(s.ID))
    .map((s) => s.ID)
    .sort();
}
