import { COMPOUND_PART_OVERHEAD } from './messages.js';

/**
 * Broadcasts waiting to be piggybacked, each sent a bounded number of times
 * (retransmitMult × log10(n+1)). A newer broadcast about the same key (a member's name)
 * invalidates the older one: only the latest state of a member is worth spreading.
 * Least-transmitted messages go first so fresh news spreads fastest.
 */
interface Item {
  readonly key: string | undefined;
  readonly msg: Uint8Array;
  transmits: number;
  readonly id: number;
  readonly onDone: (() => void) | undefined;
}

export class BroadcastQueue {
  private items: Item[] = [];
  private nextId = 0;

  constructor(
    private readonly retransmitMult: number,
    private readonly numNodes: () => number,
  ) {}

  /** `onDone` runs once the message is fully retransmitted or superseded. */
  queue(msg: Uint8Array, key?: string, onDone?: () => void): void {
    if (key !== undefined) {
      const keep: Item[] = [];
      for (const it of this.items) {
        if (it.key === key) it.onDone?.();
        else keep.push(it);
      }
      this.items = keep;
    }
    this.items.push({ key, msg, transmits: 0, id: this.nextId++, onDone });
  }

  /** Takes messages fitting in `limit` bytes, each costing its length plus `overhead`. */
  getBroadcasts(overhead: number, limit: number): Uint8Array[] {
    if (this.items.length === 0) return [];
    const max = limitFor(this.retransmitMult, this.numNodes());
    this.items.sort((a, b) => a.transmits - b.transmits || b.id - a.id);
    const out: Uint8Array[] = [];
    let used = 0;
    const keep: Item[] = [];
    for (const it of this.items) {
      const cost = it.msg.length + overhead;
      if (used + cost > limit) {
        keep.push(it);
        continue;
      }
      used += cost;
      out.push(it.msg);
      it.transmits++;
      if (it.transmits >= max) it.onDone?.();
      else keep.push(it);
    }
    this.items = keep;
    return out;
  }

  get length(): number {
    return this.items.length;
  }

  /** Drops everything (shutdown); pending onDone callbacks run so waiters do not hang. */
  reset(): void {
    for (const it of this.items) it.onDone?.();
    this.items = [];
  }
}

function limitFor(mult: number, n: number): number {
  return Math.max(1, mult * Math.ceil(Math.log10(n + 1)));
}

export { COMPOUND_PART_OVERHEAD };
