import type { AppendEntries, AppendResponse, InstallSnapshot, SnapshotResponse } from './messages.js';
import type { RaftNode } from './raft-node.js';
import type { SnapshotMeta, SnapshotSink } from '../storage/snapshot-store.js';

interface Incoming {
  readonly lastIndex: number;
  readonly lastTerm: number;
  readonly sink: SnapshotSink;
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

  constructor(private readonly n: RaftNode) {}

  /** Common handling of a message from a leader of term >= ours. False when the sender is stale. */
  private acceptLeader(from: string, term: number): boolean {
    const n = this.n;
    if (term < n.term) return false;
    if (n.role !== 'follower') n.becomeFollower(term, from);
    n.leaderId = from;
    n.lastLeaderContact = n.clock.now();
    return true;
  }

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
    if (!this.acceptLeader(m.from, m.term)) return n.send(m.from, reply(false, 0, 0));
    if (n.restoring) return; // the leader retries on its next heartbeat
    const log = n.log;
    const last = log.lastIndex();
    if (m.prevLogIndex > last) return n.send(m.from, reply(false, 0, last + 1));
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
    if (!this.acceptLeader(m.from, m.term)) return n.send(m.from, reply(false, m.chunk));
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
        if (meta) await this.install(meta);
        n.send(m.from, reply(true, m.done ? -1 : m.chunk));
      })
      .catch((err: unknown) => {
        if (this.incoming === inc) this.incoming = undefined;
        n.logger.error('installing snapshot failed', { error: err });
      });
  }

  private async install(meta: SnapshotMeta): Promise<void> {
    const n = this.n;
    if (n.stopped || meta.index <= n.lastApplied) return;
    n.restoring = true;
    try {
      await n.fsm.restore(n.snapshotStore.read(meta));
    } catch (err) {
      // The FSM may be half-replaced: continuing would serve wrong data.
      n.fatal(err);
      return;
    } finally {
      n.restoring = false;
    }
    if (n.stopped) return;
    n.logger.info('installed snapshot', { index: meta.index, term: meta.term });
    n.installSnapshotState(meta.index, meta.term, meta.config);
    n.applyCommitted();
  }
}
