import { ConsensusTimeout } from '@proconsul/kernel';
import type { Clock } from './clock.js';

/** What ReadIndex needs from the server (RaftNode): reads only. */
export interface ReadBarrierHost {
  readonly commitIndex: number;
  readonly lastApplied: number;
  readonly clock: Clock;
}

/** What ReadIndex needs from the leader's replication (Replicator). */
export interface LeadershipConfirmation {
  /** Index of this term's first entry; its commit tells the leader the cluster's commit index. */
  readonly termStartIndex: number;
  /** Seq the next message to followers will carry. */
  nextSeq(): number;
  /** Highest seq acknowledged by a quorum of voters. */
  quorumAckedSeq(): number;
  /** Heartbeat every follower soon (coalesced). */
  scheduleHeartbeat(): void;
}

interface PendingRead {
  /** Commit index to wait for; assigned once this term's first entry is committed. */
  readIndex: number | undefined;
  /** Leadership is confirmed when a quorum acknowledged a message with seq >= this. */
  seq: number;
  confirmed: boolean;
  resolve: (index: number) => void;
  reject: (err: unknown) => void;
  cancel: (() => void) | undefined;
}

/**
 * ReadIndex (thesis §6.4): record the commit index, confirm leadership by a heartbeat
 * round that a quorum acknowledges, then wait until that index is applied locally.
 * Concurrent reads share heartbeat rounds.
 */
export class ReadBarriers {
  private pending: PendingRead[] = [];

  constructor(
    private readonly n: ReadBarrierHost,
    private readonly r: LeadershipConfirmation,
  ) {}

  add(timeoutMs: number | undefined): Promise<number> {
    return new Promise((resolve, reject) => {
      const read: PendingRead = { readIndex: undefined, seq: 0, confirmed: false, resolve, reject, cancel: undefined };
      if (timeoutMs !== undefined) {
        read.cancel = this.n.clock.setTimer(timeoutMs, () => {
          this.pending = this.pending.filter((p) => p !== read);
          reject(ConsensusTimeout('confirming leadership for a consistent read'));
        });
      }
      this.pending.push(read);
      this.check();
    });
  }

  check(): void {
    if (this.pending.length === 0) return;
    const n = this.n;
    let needHeartbeat = false;
    const acked = this.r.quorumAckedSeq();
    for (const read of this.pending) {
      if (read.readIndex === undefined) {
        if (n.commitIndex < this.r.termStartIndex) continue;
        read.readIndex = n.commitIndex;
        // Heartbeats sent from now on prove we were still leader after recording readIndex.
        read.seq = this.r.nextSeq();
        needHeartbeat = true;
      }
      if (!read.confirmed && acked >= read.seq) read.confirmed = true;
    }
    const done = this.pending.filter((p) => p.confirmed && p.readIndex! <= n.lastApplied);
    if (done.length) {
      this.pending = this.pending.filter((p) => !done.includes(p));
      for (const p of done) {
        p.cancel?.();
        p.resolve(p.readIndex!);
      }
    }
    if (needHeartbeat) this.r.scheduleHeartbeat();
  }

  failAll(err: Error): void {
    const all = this.pending;
    this.pending = [];
    for (const p of all) {
      p.cancel?.();
      p.reject(err);
    }
  }
}
