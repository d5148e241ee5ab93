/**
 * Replicates state changes among servers. The raft plugin binds this; the kernel's
 * {@link Fsm} is what it replicates into. On client agents nothing binds it.
 */
export const Consensus = Symbol.for('proconsul.Consensus');

export interface ServerAddress {
  /** Raft server ID (the node ID). */
  readonly id: string;
  /** Node name, for display. */
  readonly node: string;
  /** host:port of the server RPC/raft port. */
  readonly address: string;
}

export interface RaftServer extends ServerAddress {
  readonly suffrage: 'voter' | 'nonvoter';
}

export interface ApplyResult {
  /** Raft index at which the command was committed. */
  readonly index: number;
  /** What the FSM returned for the command. */
  readonly response: unknown;
}

export type LeadershipListener = (isLeader: boolean) => void;

export interface Consensus {
  /**
   * Propose an encoded command. Resolves after it is committed and applied to the local
   * FSM. Rejects with RAFT_NOT_LEADER (carrying the known leader) on a follower, and
   * RAFT_TIMEOUT when not committed within `timeoutMs`. Concurrent calls are batched
   * into shared appends and fsyncs. `command` is owned by raft after the call.
   */
  apply(command: Uint8Array, timeoutMs?: number): Promise<ApplyResult>;
  /**
   * ReadIndex: confirm leadership with a quorum, then wait until the local FSM has
   * applied everything committed at the time of the call. Used for `?consistent`.
   */
  readBarrier(timeoutMs?: number): Promise<number>;
  isLeader(): boolean;
  /** True while the leader's lease holds (a quorum heard from within the lease timeout). Default-consistency reads use it. */
  hasLease(): boolean;
  leader(): ServerAddress | undefined;
  /** Milliseconds since this server last heard from the leader (0 on the leader). */
  lastContactMs(): number;
  configuration(): readonly RaftServer[];
  /** Index of the last entry applied to the local FSM. */
  appliedIndex(): number;
  addServer(server: ServerAddress, suffrage: 'voter' | 'nonvoter'): Promise<void>;
  removeServer(id: string): Promise<void>;
  transferLeadership(targetId?: string): Promise<void>;
  onLeadershipChange(listener: LeadershipListener): () => void;
  /**
   * `bootstrap_expect`: called with the servers known so far (through gossip or given
   * addresses). Bootstraps exactly once — remembered durably — when enough are known and
   * this node has no raft state; resolves true only on the call that bootstrapped.
   */
  bootstrapWith?(servers: readonly ServerAddress[]): Promise<boolean>;
  /**
   * Server addresses known from gossip. Raft addresses peers through its configuration;
   * a server that is not (yet) in one — waiting to be added, or one that declined to
   * bootstrap because a cluster exists — still has to answer votes and appends from
   * servers that list it, and learns where they are from here. Replaces earlier hints.
   */
  learnAddresses?(servers: readonly ServerAddress[]): void;
  /**
   * Snapshot restore (hashicorp/raft's Restore): replace the whole replicated state on
   * every server. Leader only (RAFT_NOT_LEADER otherwise). Waits until the log is applied
   * and refuses new proposals meanwhile; calls `install(index)` once, synchronously, with an
   * index past both the log and `minIndex`, for the caller to swap the new state into the
   * FSM; then snapshots the FSM at that index as the log's new base, so followers install it
   * the way a lagging follower does. The configuration stays this cluster's. Resolves with
   * the index once an entry after it is committed (a quorum has the restored state). May take
   * as long as writing the snapshot. If the restore cannot complete (leadership lost while
   * writing the snapshot, a storage failure), consensus calls the undo `install` returned and
   * rejects: the state is as before. Optional: consensus without it cannot restore.
   */
  restoreState?(minIndex: number, install: (index: number) => () => void): Promise<number>;
  /** For `info` and `agent/self` (Consul's raft stat names). */
  stats(): Record<string, string>;
}
