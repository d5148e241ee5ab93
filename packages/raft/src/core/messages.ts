/**
 * Raft wire messages. Raft runs as one-way messages (not request/response RPCs) so a
 * leader can pipeline many AppendEntries to a follower without waiting; replies carry
 * `seq` back so the leader can tell which request they answer. Every message names its
 * sender and the sender's term.
 */
export type ServerId = string;
export type Suffrage = 'voter' | 'nonvoter';

export interface ServerEntry {
  readonly id: ServerId;
  readonly node: string;
  readonly address: string;
  readonly suffrage: Suffrage;
}

/** A cluster configuration as stored in the log and in snapshots. */
export interface ConfigurationData {
  readonly servers: readonly ServerEntry[];
}

export type EntryKind = 'cmd' | 'noop' | 'conf';

export interface LogEntry {
  readonly index: number;
  readonly term: number;
  readonly kind: EntryKind;
  /** Command bytes for 'cmd'. */
  readonly data?: Uint8Array;
  /** The new configuration for 'conf'. */
  readonly config?: ConfigurationData;
}

interface Base {
  readonly from: ServerId;
  readonly term: number;
}

export interface RequestVote extends Base {
  readonly type: 'vote';
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
  /** Pre-vote: ask "would you vote for me at `term`?" without anyone changing term. */
  readonly preVote: boolean;
  /** Sent after TimeoutNow: voters skip the leader-stickiness check. */
  readonly transfer: boolean;
}

export interface VoteResponse extends Base {
  readonly type: 'voteResp';
  readonly granted: boolean;
  readonly preVote: boolean;
  /** The term the request asked about, so stale replies can be recognised. */
  readonly requestTerm: number;
}

export interface AppendEntries extends Base {
  readonly type: 'append';
  readonly prevLogIndex: number;
  readonly prevLogTerm: number;
  readonly entries: readonly LogEntry[];
  readonly leaderCommit: number;
  /** Per-leader increasing; echoed in the reply (lease and ReadIndex accounting). */
  readonly seq: number;
}

export interface AppendResponse extends Base {
  readonly type: 'appendResp';
  readonly success: boolean;
  /** On success: the follower's log matches the leader's up to here. */
  readonly matchIndex: number;
  /** On failure: where the leader should retry from. */
  readonly hintNextIndex: number;
  /**
   * On failure because the follower's log ends before prevLogIndex: its last index. Lets the
   * leader tell a follower that lost entries it acknowledged (its storage was wiped) from one
   * that is merely behind. Absent from older followers.
   */
  readonly lastLogIndex?: number;
  readonly seq: number;
}

export interface InstallSnapshot extends Base {
  readonly type: 'snap';
  readonly lastIndex: number;
  readonly lastTerm: number;
  readonly config: ConfigurationData;
  /** Chunk number, from 0; chunks are sent one at a time (stop-and-wait). */
  readonly chunk: number;
  readonly data: Uint8Array;
  readonly done: boolean;
  readonly seq: number;
}

export interface SnapshotResponse extends Base {
  readonly type: 'snapResp';
  readonly success: boolean;
  readonly lastIndex: number;
  readonly chunk: number;
  readonly seq: number;
}

export interface TimeoutNow extends Base {
  readonly type: 'timeoutNow';
}

export type RaftMessage =
  RequestVote | VoteResponse | AppendEntries | AppendResponse | InstallSnapshot | SnapshotResponse | TimeoutNow;
