import type { AppendResponse, LogEntry, ServerId, SnapshotResponse } from './messages.js';
import type { RaftConfig } from './raft-config.js';
import type { RaftSnapshotStore } from '../storage/raft-snapshot-store.js';
import { isVoter, quorumValue } from './configuration.js';
import { PeerProgress } from './peer-progress.js';
import { SeqTimes } from './seq-times.js';
import { ReadBarriers, type ReadBarrierHost } from './read-barriers.js';
import { LeadershipTransfer, type TransferHost } from './leadership-transfer.js';

/**
 * What the leader's replication needs from its server (RaftNode). Committing and stepping
 * down are requests the node carries out; everything else is read.
 */
export interface ReplicatorHost extends ReadBarrierHost, TransferHost {
  /** Highest log index durable on this server: the leader's own match index. */
  readonly durableIndex: number;
  /** Index of the latest configuration entry. */
  readonly configIndex: number;
  readonly cfg: Pick<
    RaftConfig,
    | 'heartbeatTimeoutMs'
    | 'heartbeatIntervalMs'
    | 'leaderLeaseTimeoutMs'
    | 'maxAppendEntries'
    | 'maxInflight'
    | 'electionTimeoutMs'
  >;
  readonly snapshotStore: Pick<RaftSnapshotStore, 'latest' | 'readChunk'>;
  /** Raise the commit index to `index` (the caller has checked the Raft commit rule) and apply. */
  advanceCommit(index: number): void;
  /** Leave leadership (check-quorum failed, or we left the configuration). Stops this replicator. */
  stepDown(): void;
  /** Report an AppendEntries round trip (metrics only; must not change state). */
  observeReplication(peer: ServerId, rttMs: number, heartbeat: boolean): void;
}

/**
 * Leader-only state, created on election and discarded on step-down: per-follower
 * progress, pipelined AppendEntries, heartbeats, InstallSnapshot transfers, the commit
 * rule (a quorum's match index, counting only entries of the current term directly),
 * check-quorum, the lease, ReadIndex and leadership transfer.
 */
export class Replicator {
  readonly peers = new Map<ServerId, PeerProgress>();
  /** Index of this term's first entry (the no-op); ReadIndex waits until it commits. */
  readonly termStartIndex: number;
  readonly reads: ReadBarriers;
  readonly transfer: LeadershipTransfer;
  private seq = 0;
  private readonly sentTimes: SeqTimes;
  private replicateScheduled = false;
  /** The last AppendEntries slice sent, for the next follower at the same position. */
  private lastSlice: { prev: number; last: number; entries: readonly LogEntry[] } | undefined;
  private heartbeatScheduled = false;
  private readonly cancelTimers: (() => void)[] = [];
  private active = true;

  constructor(private readonly n: ReplicatorHost) {
    this.termStartIndex = n.log.lastIndex() + 1;
    this.sentTimes = new SeqTimes(n.cfg.heartbeatTimeoutMs * 2);
    this.reads = new ReadBarriers(n, this);
    this.transfer = new LeadershipTransfer(n, this);
    this.syncPeers();
    this.heartbeatLoop();
    this.checkQuorumLoop();
  }

  stop(err: Error): void {
    this.active = false;
    for (const c of this.cancelTimers) c();
    this.reads.failAll(err);
    this.transfer.finish(err);
  }

  transferring(): boolean {
    return this.transfer.inProgress();
  }

  nextSeq(): number {
    return this.seq + 1;
  }

  /** Add progress for servers new in the configuration. Removal waits for the change to commit. */
  syncPeers(): void {
    for (const s of this.n.config.servers) {
      if (s.id !== this.n.id && !this.peers.has(s.id)) {
        this.peers.set(s.id, new PeerProgress(this.n.log.lastIndex() + 1, this.n.clock.now()));
      }
    }
  }

  onConfigCommitted(): void {
    const n = this.n;
    if (n.configIndex > n.commitIndex) return;
    for (const id of [...this.peers.keys()]) {
      if (!n.config.servers.some((s) => s.id === id)) this.peers.delete(id);
    }
    if (!isVoter(n.config, n.id)) {
      // Removed (or demoted): hand over by stepping down once the change is committed.
      // `active` is false once the node stopped this replicator (step-down or shutdown).
      n.clock.setTimer(0, () => {
        if (this.active) n.stepDown();
      });
    }
  }

  scheduleReplicate(): void {
    if (this.replicateScheduled) return;
    this.replicateScheduled = true;
    // After the current I/O phase, so every apply() of this loop turn — not just of this
    // tick — rides in the same AppendEntries (HTTP requests arrive in separate callbacks).
    this.n.clock.setTimer(0, () => {
      this.replicateScheduled = false;
      if (!this.active) return;
      for (const [id, p] of this.peers) this.replicate(id, p);
      this.maybeCommit();
    });
  }

  /** Send heartbeats to everyone soon (coalesced), e.g. to confirm leadership for reads. */
  scheduleHeartbeat(): void {
    if (this.heartbeatScheduled) return;
    this.heartbeatScheduled = true;
    // After the current I/O phase, so all ?consistent reads of this loop turn share one round.
    this.n.clock.setTimer(0, () => {
      this.heartbeatScheduled = false;
      if (this.active) this.heartbeatAll();
    });
  }

  private replicate(id: ServerId, p: PeerProgress): void {
    if (p.snapshot) return;
    const last = this.n.log.lastIndex();
    if (p.probing) {
      if (p.inflight.size === 0 && p.nextIndex <= last) this.sendAppend(id, p, false);
      return;
    }
    while (p.inflight.size < this.n.cfg.maxInflight && p.nextIndex <= last && !p.snapshot) {
      // Nothing went out: the peer needs compacted entries and there is no snapshot to send
      // (logged by startSnapshot). Try again next round instead of spinning here for ever.
      if (!this.sendAppend(id, p, false)) break;
    }
  }

  /** False when no AppendEntries went out: the peer needs a snapshot instead (started if one exists). */
  private sendAppend(id: ServerId, p: PeerProgress, heartbeat: boolean): boolean {
    const n = this.n;
    const prev = heartbeat && !p.probing ? p.matchIndex : p.nextIndex - 1;
    const prevTerm = n.log.termAt(prev);
    if (prevTerm === undefined) {
      this.startSnapshot(id, p);
      return false;
    }
    const entries = heartbeat ? [] : this.entriesAfter(prev);
    const seq = ++this.seq;
    const now = n.clock.now();
    this.sentTimes.record(seq, now);
    if (entries.length > 0) {
      p.inflight.set(seq, now);
      if (!p.probing) p.nextIndex = entries[entries.length - 1]!.index + 1;
    }
    n.send(id, {
      type: 'append',
      from: n.id,
      term: n.term,
      prevLogIndex: prev,
      prevLogTerm: prevTerm,
      leaderCommit: n.commitIndex,
      seq,
      // Last, so the transport can append the entries' shared encoding (RaftStream.write).
      entries,
    });
    return true;
  }

  /**
   * The entries an AppendEntries after `prev` carries: the same frozen array for every
   * follower at that position, so the transport encodes it once for all of them (see
   * RaftStream.write). Sound because a leader's log is append-only within its term: the
   * entries between two indexes never change while this replicator lives.
   */
  private entriesAfter(prev: number): readonly LogEntry[] {
    const log = this.n.log;
    const last = Math.min(prev + this.n.cfg.maxAppendEntries, log.lastIndex());
    const memo = this.lastSlice;
    // The identity check keeps this right even across a log rebuilt under us (a user restore).
    if (memo && memo.prev === prev && memo.last === last && memo.entries[0] === log.entry(prev + 1)) return memo.entries;
    const entries = Object.freeze(log.slice(prev + 1, last));
    this.lastSlice = { prev, last, entries };
    return entries;
  }

  private heartbeatAll(): void {
    const now = this.n.clock.now();
    for (const [id, p] of this.peers) {
      if (p.snapshot) {
        if (now - p.snapshot.sentAt > this.n.cfg.heartbeatTimeoutMs / 2) void this.sendChunk(id, p);
        continue;
      }
      if (p.probing) {
        // Retransmit the probe: the previous one (or its reply) may have been lost.
        p.inflight.clear();
        this.sendAppend(id, p, false);
      } else if (p.inflight.size > 0 && now - p.oldestInflight() > this.n.cfg.heartbeatTimeoutMs / 2) {
        p.resetToProbe(p.matchIndex + 1, this.nextSeq());
        this.sendAppend(id, p, false);
      } else {
        this.sendAppend(id, p, true);
        this.replicate(id, p);
      }
    }
  }

  private heartbeatLoop(): void {
    this.cancelTimers[0] = this.n.clock.setTimer(this.n.cfg.heartbeatIntervalMs, () => {
      if (!this.active) return;
      this.heartbeatAll();
      this.heartbeatLoop();
    });
  }

  /** Check-quorum: a leader that has not heard from a quorum within the heartbeat timeout steps down. */
  private checkQuorumLoop(): void {
    this.cancelTimers[1] = this.n.clock.setTimer(this.n.cfg.leaderLeaseTimeoutMs / 2, () => {
      if (!this.active) return;
      const n = this.n;
      if (n.clock.now() - this.quorumContact() > n.cfg.heartbeatTimeoutMs) {
        n.logger.warn('lost contact with a quorum; stepping down', { term: n.term });
        n.stepDown();
        return;
      }
      this.checkQuorumLoop();
    });
  }

  /** The send time of the newest message a quorum of voters has acknowledged. */
  quorumContact(): number {
    const now = this.n.clock.now();
    return quorumValue(this.n.config, (id) => (id === this.n.id ? now : (this.peers.get(id)?.contact ?? -Infinity)));
  }

  hasLease(): boolean {
    if (!this.active || this.transfer.inProgress()) return false;
    return this.n.clock.now() - this.quorumContact() < this.n.cfg.leaderLeaseTimeoutMs;
  }

  /** Highest seq acknowledged by a quorum of voters (the leader counts as all). */
  quorumAckedSeq(): number {
    return quorumValue(this.n.config, (id) => (id === this.n.id ? Infinity : (this.peers.get(id)?.ackedSeq ?? 0)));
  }

  handleAppendResponse(m: AppendResponse): void {
    const p = this.peers.get(m.from);
    if (!p || m.term !== this.n.term || !this.active) return;
    const sentAt = this.sentTimes.timeOf(m.seq);
    this.credit(p, m.seq);
    const wasInflight = p.inflight.delete(m.seq);
    if (sentAt !== undefined) this.n.observeReplication(m.from, this.n.clock.now() - sentAt, !wasInflight);
    if (m.success) {
      if (m.matchIndex > p.matchIndex) this.raiseMatch(p, m.matchIndex);
      if (p.nextIndex <= p.matchIndex) p.nextIndex = p.matchIndex + 1;
      if (p.probing && (wasInflight || m.matchIndex >= p.nextIndex - 1)) {
        p.probing = false;
        p.inflight.clear();
        p.nextIndex = p.matchIndex + 1;
      }
      this.maybeCommit();
      this.transfer.check();
    } else {
      if (m.seq < p.resetSeq) return;
      if (m.lastLogIndex !== undefined && m.lastLogIndex < p.matchIndex && m.seq > p.matchSeq) {
        // The follower no longer holds entries it acknowledged: its storage was lost (a wiped
        // data dir, an in-memory store) and it came back under the same ID. Raft assumes that
        // never happens; probing from past its end would repeat forever, so replicate again
        // from what it has. Lowering matchIndex only delays commits, never un-commits.
        // Only a message sent after the acknowledgement arrived proves it: an older one may
        // have overtaken the acknowledged entries on the way (resetToProbe then starts
        // after matchIndex, which the follower does hold).
        this.n.logger.warn('follower lost log entries it had acknowledged; replicating them again', {
          peer: m.from,
          acknowledged: p.matchIndex,
          has: m.lastLogIndex,
        });
        p.matchIndex = m.lastLogIndex;
      }
      p.resetToProbe(Math.min(m.hintNextIndex, this.n.log.lastIndex() + 1), this.nextSeq());
    }
    this.reads.check();
    this.replicate(m.from, p);
  }

  private raiseMatch(p: PeerProgress, index: number): void {
    p.matchIndex = index;
    p.matchSeq = this.seq;
  }

  private credit(p: PeerProgress, seq: number): void {
    const sentAt = this.sentTimes.timeOf(seq);
    if (sentAt !== undefined && sentAt > p.contact) p.contact = sentAt;
    if (seq > p.ackedSeq) p.ackedSeq = seq;
  }

  // ---- snapshots -------------------------------------------------------------------------

  private startSnapshot(id: ServerId, p: PeerProgress): void {
    const meta = this.n.snapshotStore.latest();
    if (!meta) {
      this.n.logger.error('follower needs compacted entries but no snapshot exists', { peer: id });
      return;
    }
    p.snapshot = { meta, chunk: 0, seq: 0, sentAt: this.n.clock.now() };
    p.inflight.clear();
    void this.sendChunk(id, p);
  }

  private async sendChunk(id: ServerId, p: PeerProgress): Promise<void> {
    const t = p.snapshot;
    if (!t) return;
    t.sentAt = this.n.clock.now();
    const chunk = t.chunk;
    const data = await this.n.snapshotStore.readChunk(t.meta, chunk);
    if (!this.active || p.snapshot !== t || t.chunk !== chunk) return;
    if (data === undefined) {
      // Replaced by a newer snapshot meanwhile: start over with that one.
      p.snapshot = undefined;
      return this.startSnapshot(id, p);
    }
    const seq = ++this.seq;
    this.sentTimes.record(seq, t.sentAt);
    t.seq = seq;
    const n = this.n;
    n.send(id, {
      type: 'snap',
      from: n.id,
      term: n.term,
      lastIndex: t.meta.index,
      lastTerm: t.meta.term,
      config: t.meta.config,
      chunk,
      data,
      done: chunk >= t.meta.chunks - 1,
      seq,
    });
  }

  handleSnapshotResponse(m: SnapshotResponse): void {
    const p = this.peers.get(m.from);
    if (!p || m.term !== this.n.term || !this.active) return;
    this.credit(p, m.seq);
    const t = p.snapshot;
    if (!t || m.lastIndex !== t.meta.index) return;
    if (m.success && m.chunk === -1) {
      p.snapshot = undefined;
      if (t.meta.index > p.matchIndex) this.raiseMatch(p, t.meta.index);
      p.resetToProbe(p.matchIndex + 1, this.nextSeq());
      this.maybeCommit();
      this.replicate(m.from, p);
    } else if (m.success && m.chunk === t.chunk) {
      t.chunk++;
      void this.sendChunk(m.from, p);
    } else if (!m.success && m.chunk === t.chunk) {
      t.chunk = 0;
      void this.sendChunk(m.from, p);
    }
    this.reads.check();
  }

  // ---- commit ----------------------------------------------------------------------------

  maybeCommit(): void {
    const n = this.n;
    if (!this.active) return;
    const match = quorumValue(n.config, (id) => (id === n.id ? n.durableIndex : (this.peers.get(id)?.matchIndex ?? 0)));
    // Only an entry of the current term is committed by counting replicas (thesis §3.6.2).
    if (match > n.commitIndex && n.log.termAt(match) === n.term) n.advanceCommit(match);
  }

  onLocalDurable(): void {
    this.maybeCommit();
  }

  onApplied(): void {
    this.reads.check();
  }
}
