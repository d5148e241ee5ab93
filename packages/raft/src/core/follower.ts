import type { Logger } from '@proconsul/kernel';
import type {
  AppendEntries,
  AppendResponse,
  InstallSnapshot,
  LogEntry,
  RaftMessage,
  ServerId,
  SnapshotResponse,
} from './messages.js';
import type { LogView } from './node-context.js';
import type { RaftSnapshotSink, RaftSnapshotStore, SnapshotMeta } from '../storage/raft-snapshot-store.js';

/** What the follower side needs from its server (RaftNode); every state change is a call. */
export interface FollowerHost {
  readonly id: ServerId;
  readonly term: number;
  readonly commitIndex: number;
  /** An FSM restore is running: log changes wait. */
  readonly restoring: boolean;
  readonly log: LogView;
  readonly snapshotStore: Pick<RaftSnapshotStore, 'create'>;
  readonly logger: Logger;
  /**
   * A message from a leader of `term`: false when the sender is stale; otherwise we follow
   * it (stepping down if needed) and note the contact.
   */
  acceptLeader(from: ServerId, term: number): boolean;
  send(to: ServerId, m: RaftMessage): void;
  /** Send once everything written so far is durable (replies that promise durability). */
  sendWhenDurable(to: ServerId, m: RaftMessage): void;
  /** Append (after truncating the conflicting suffix from `truncateFrom`) and persist. */
  appendToLog(entries: readonly LogEntry[], truncateFrom?: number): void;
  /** Raise the commit index to `index` (never lowers it) and apply, after the log write just started. */
  advanceCommit(index: number): void;
  /** Restore the FSM from a received snapshot and adopt it as the log's base; may block on the FSM. */
  installSnapshot(meta: SnapshotMeta): Promise<void>;
  /** Unrecoverable: stop the server. */
  fatal(err: unknown): void;
}

interface Incoming {
  readonly lastIndex: number;
  readonly lastTerm: number;
  readonly sink: RaftSnapshotSink;
  expected: number;
  chain: Promise<void>;
}

/**
 * Follower side of replication: AppendEntries (consistency check, conflict truncation,
 * commit) and InstallSnapshot (chunks to the snapshot store, then Fsm.restore). A reply
 * promising that entries are stored is sent only once they are durable.
 */
export class FollowerHandler {
  private incoming: Incoming | undefined;

  constructor(private readonly n: FollowerHost) {}

  handleAppend(m: AppendEntries): void {
    const n = this.n;
    const reply = (success: boolean, matchIndex: number, hintNextIndex: number): AppendResponse => ({
      type: 'appendResp',
      from: n.id,
      term: n.term,
      success,
      matchIndex,
      hintNextIndex,
      seq: m.seq,
    });
    if (!n.acceptLeader(m.from, m.term)) return n.send(m.from, reply(false, 0, 0));
    if (n.restoring) return; // the leader retries on its next heartbeat
    const log = n.log;
    const last = log.lastIndex();
    if (m.prevLogIndex > last) return n.send(m.from, { ...reply(false, 0, last + 1), lastLogIndex: last });
    let entries = m.entries;
    if (m.prevLogIndex < log.snapshotIndex) {
      // Everything up to the snapshot is committed, hence identical to the leader's.
      entries = entries.filter((e) => e.index > log.snapshotIndex);
    } else if (log.termAt(m.prevLogIndex) !== m.prevLogTerm) {
      const t = log.termAt(m.prevLogIndex);
      const floor = Math.max(n.commitIndex + 1, log.snapshotIndex + 1);
      const hint = t === undefined ? floor : Math.max(floor, log.firstIndexOfTerm(t, m.prevLogIndex, floor));
      return n.send(m.from, reply(false, 0, Math.min(hint, m.prevLogIndex)));
    }
    let i = 0;
    let truncateFrom: number | undefined;
    for (; i < entries.length; i++) {
      const e = entries[i]!;
      const t = log.termAt(e.index);
      if (t === undefined) break;
      if (t !== e.term) {
        if (e.index <= n.commitIndex) {
          n.fatal(new Error(`leader ${m.from} conflicts with committed entry ${e.index}`));
          return;
        }
        truncateFrom = e.index;
        break;
      }
    }
    if (i < entries.length) n.appendToLog(entries.slice(i), truncateFrom);
    const matchIndex = m.prevLogIndex + m.entries.length;
    n.advanceCommit(Math.min(m.leaderCommit, matchIndex));
    n.sendWhenDurable(m.from, reply(true, matchIndex, 0));
  }

  handleSnapshot(m: InstallSnapshot): void {
    const n = this.n;
    const reply = (success: boolean, chunk: number): SnapshotResponse => ({
      type: 'snapResp',
      from: n.id,
      term: n.term,
      success,
      lastIndex: m.lastIndex,
      chunk,
      seq: m.seq,
    });
    if (!n.acceptLeader(m.from, m.term)) return n.send(m.from, reply(false, m.chunk));
    if (n.restoring) return;
    if (m.lastIndex <= n.commitIndex) {
      // Already have everything the snapshot covers; -1 tells the leader to stop sending.
      return n.send(m.from, reply(true, -1));
    }
    if (m.chunk === 0) {
      if (this.incoming) void this.incoming.sink.abort().catch(() => {});
      this.incoming = {
        lastIndex: m.lastIndex,
        lastTerm: m.lastTerm,
        sink: n.snapshotStore.create(m.lastIndex, m.lastTerm, m.config),
        expected: 0,
        chain: Promise.resolve(),
      };
    }
    const inc = this.incoming;
    if (!inc || inc.lastIndex !== m.lastIndex || inc.lastTerm !== m.lastTerm) return n.send(m.from, reply(false, m.chunk));
    if (m.chunk < inc.expected) return n.send(m.from, reply(true, m.chunk)); // duplicate
    if (m.chunk > inc.expected) return n.send(m.from, reply(false, m.chunk)); // gap: restart
    inc.expected++;
    inc.chain = inc.chain
      .then(async () => {
        await inc.sink.write(m.data);
        if (!m.done) return n.send(m.from, reply(true, m.chunk));
        if (this.incoming === inc) this.incoming = undefined;
        const meta = await inc.sink.commit();
        if (meta) await n.installSnapshot(meta);
        n.send(m.from, reply(true, m.done ? -1 : m.chunk));
      })
      .catch((err: unknown) => {
        if (this.incoming === inc) this.incoming = undefined;
        n.logger.error('installing snapshot failed', { error: err });
      });
  }
}
