import { RaftConfigInvalid } from '../errors.js';

/** Timing and log-retention settings of one raft server. All durations in milliseconds. */
export interface RaftConfig {
  /** A follower that has not heard from a leader for this long (randomised up to 2x) starts a pre-vote. */
  readonly heartbeatTimeoutMs: number;
  /** A candidate that has not won within this long (randomised up to 2x) retries. */
  readonly electionTimeoutMs: number;
  /** How long a leader may serve lease reads after a quorum acknowledged it; also its check-quorum window. */
  readonly leaderLeaseTimeoutMs: number;
  /** Period of the leader's heartbeats. */
  readonly heartbeatIntervalMs: number;
  /** Entries per AppendEntries message. */
  readonly maxAppendEntries: number;
  /** Unacknowledged AppendEntries a leader keeps in flight to one follower (pipelining). */
  readonly maxInflight: number;
  /** Take a snapshot once this many entries were applied since the last one. */
  readonly snapshotThreshold: number;
  /** Entries kept in the log behind a snapshot, so slightly lagging followers need no snapshot. */
  readonly trailingLogs: number;
  /**
   * Also snapshot once the entries applied since the last snapshot hold this many bytes of
   * commands, checked as they apply (not only every snapshotIntervalMs): with this and
   * trailingLogBytes the in-memory log is bounded by size, not only by entry count.
   */
  readonly snapshotLogBytes: number;
  /** The entries kept behind a snapshot also stop at this many bytes of commands. */
  readonly trailingLogBytes: number;
  /** How often to check whether a snapshot is due. */
  readonly snapshotIntervalMs: number;
  /** Bytes per InstallSnapshot chunk. */
  readonly snapshotChunkBytes: number;
}

/** Base values at raft_multiplier 1; Consul scales the first three by raft_multiplier. */
export function DefaultConfig(): RaftConfig {
  return {
    // hashicorp/raft's default; with the jitter a follower waits 1-2s before campaigning.
    heartbeatTimeoutMs: 1000,
    // hashicorp/raft's default; a split vote retries after 1-2s.
    electionTimeoutMs: 1000,
    // hashicorp/raft's default: half the heartbeat timeout, so the lease always ends before
    // any follower would vote for someone else (followers refuse votes for heartbeatTimeout).
    leaderLeaseTimeoutMs: 500,
    // A tenth of the heartbeat timeout, as hashicorp/raft: ten heartbeats may be lost before a follower campaigns.
    heartbeatIntervalMs: 100,
    // hashicorp/raft's MaxAppendEntries; keeps one message well under a megabyte for typical commands.
    maxAppendEntries: 64,
    // Enough to keep a LAN link busy without unbounded memory for a dead follower.
    maxInflight: 64,
    // Consul's raft_snapshot_threshold default.
    snapshotThreshold: 16384,
    // Consul's raft_trailing_logs default.
    trailingLogs: 10240,
    // The log is held in memory, and Consul's count defaults assume small commands: 26,624
    // entries of 64-op transactions hold ~240 MB, of 256 KiB values 6.5 GiB. Writes of 100 B
    // values reach the count first (16,384 entries are ~3 MB), so this changes nothing there.
    snapshotLogBytes: 64 * 1024 * 1024,
    // A follower further behind than this gets a snapshot instead of entries.
    trailingLogBytes: 16 * 1024 * 1024,
    // Consul's raft_snapshot_interval default (30s).
    snapshotIntervalMs: 30_000,
    // Large enough to amortise per-message cost, small enough not to stall heartbeats on the same connection.
    snapshotChunkBytes: 256 * 1024,
  };
}

/** Consul's performance.raft_multiplier: 1 is fastest, 5 is Consul's default, 10 the maximum. */
export function scaleByMultiplier(config: RaftConfig, multiplier: number): RaftConfig {
  if (!Number.isInteger(multiplier) || multiplier < 1 || multiplier > 10) {
    throw RaftConfigInvalid('raft_multiplier', `must be an integer from 1 to 10, got ${multiplier}`);
  }
  return {
    ...config,
    heartbeatTimeoutMs: config.heartbeatTimeoutMs * multiplier,
    electionTimeoutMs: config.electionTimeoutMs * multiplier,
    leaderLeaseTimeoutMs: config.leaderLeaseTimeoutMs * multiplier,
    heartbeatIntervalMs: config.heartbeatIntervalMs * multiplier,
  };
}

/** Throws RAFT_CONFIG_INVALID naming the first bad field. */
export function validateConfig(c: RaftConfig): RaftConfig {
  const positive: (keyof RaftConfig)[] = [
    'heartbeatTimeoutMs',
    'electionTimeoutMs',
    'leaderLeaseTimeoutMs',
    'heartbeatIntervalMs',
    'maxAppendEntries',
    'maxInflight',
    'snapshotThreshold',
    'snapshotLogBytes',
    'snapshotIntervalMs',
    'snapshotChunkBytes',
  ];
  for (const k of positive) {
    if (!(Number.isFinite(c[k]) && c[k] > 0)) throw RaftConfigInvalid(k, `must be > 0, got ${c[k]}`);
  }
  if (!(c.trailingLogs >= 0)) throw RaftConfigInvalid('trailingLogs', 'must be >= 0');
  if (!(c.trailingLogBytes >= 0)) throw RaftConfigInvalid('trailingLogBytes', 'must be >= 0');
  if (c.heartbeatIntervalMs >= c.heartbeatTimeoutMs) {
    throw RaftConfigInvalid('heartbeatIntervalMs', 'must be below heartbeatTimeoutMs or followers campaign between heartbeats');
  }
  // Lease safety: followers refuse votes for heartbeatTimeoutMs after hearing from the
  // leader, so the lease must end before that window does.
  if (c.leaderLeaseTimeoutMs > c.heartbeatTimeoutMs) {
    throw RaftConfigInvalid('leaderLeaseTimeoutMs', 'must not exceed heartbeatTimeoutMs (lease reads would be unsafe)');
  }
  return c;
}
