import type { SnapshotMeta } from '../storage/snapshot-store.js';

/** An InstallSnapshot transfer to one follower, sent one chunk at a time. */
export interface SnapshotTransfer {
  readonly meta: SnapshotMeta;
  chunk: number;
  seq: number;
  sentAt: number;
}

/**
 * The leader's view of one follower. In probe mode (after a rejection or a stall) one
 * AppendEntries is outstanding at a time while the leader searches for the match point;
 * in pipeline mode up to maxInflight are outstanding and nextIndex advances optimistically.
 */
export class PeerProgress {
  matchIndex = 0;
  probing = true;
  /** seq -> send time of outstanding AppendEntries that carry entries. */
  readonly inflight = new Map<number, number>();
  /** Highest seq the follower acknowledged (ReadIndex confirmation). */
  ackedSeq = 0;
  /** Leader clock time when the newest acknowledged message was sent (lease, check-quorum). */
  contact: number;
  /**
   * The newest seq sent when matchIndex last rose. A rejection of a message up to this seq
   * may have been handled by the follower before the entries it acknowledged arrived
   * (pipelined messages are reordered), so it says nothing about losing them.
   */
  matchSeq = 0;
  /** Rejections of messages older than this seq are stale and ignored. */
  resetSeq = 0;
  snapshot: SnapshotTransfer | undefined;

  constructor(
    public nextIndex: number,
    now: number,
  ) {
    // A new leader gives each follower a full window before check-quorum counts it missing.
    this.contact = now;
  }

  resetToProbe(nextIndex: number, nextSeq: number): void {
    this.probing = true;
    this.inflight.clear();
    this.nextIndex = Math.max(this.matchIndex + 1, nextIndex);
    this.resetSeq = nextSeq;
  }

  oldestInflight(): number {
    let oldest = Infinity;
    for (const t of this.inflight.values()) oldest = Math.min(oldest, t);
    return oldest;
  }
}
