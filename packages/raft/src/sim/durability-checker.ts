import type { RaftMessage, ServerId } from '../core/messages.js';
import type { LogView } from '../core/node-context.js';

interface Ack {
  readonly index: number;
  readonly term: number;
}

/**
 * Durability, checked across crashes: an entry a server told a leader it stores (a
 * successful AppendEntries reply, an installed snapshot) must still be there when it
 * restarts from its disk — unless a later leader legitimately replaced it before the crash,
 * or the disk itself was wiped. A failure means a reply went out before its entries were
 * durable, or a restart lost durable entries; the leader-side "lost entries" warning cannot
 * tell that apart from reordered messages, this can.
 */
export class DurabilityChecker {
  private readonly acked = new Map<ServerId, Ack>();
  private readonly atCrash = new Map<ServerId, { ack: Ack; wipes: number }>();

  /** Every message a server sends, with its term and log at that moment. */
  onSend(from: ServerId, msg: RaftMessage, node: { readonly term: number; readonly log: LogView }): void {
    // A reply waits for the disk; if a newer leader came meanwhile, the suffix it acknowledged
    // may already be replaced in memory, so what it claimed can no longer be told apart.
    if (msg.term !== node.term) return;
    const log = node.log;
    let index: number | undefined;
    if (msg.type === 'appendResp' && msg.success) index = msg.matchIndex;
    else if (msg.type === 'snapResp' && msg.success && msg.chunk === -1) index = msg.lastIndex;
    if (index === undefined || index <= (this.acked.get(from)?.index ?? 0)) return;
    const term = log.termAt(index);
    if (term !== undefined) this.acked.set(from, { index, term });
  }

  /** The server is about to lose its memory; `wipes` counts its disk's wipes so far. */
  onCrash(id: ServerId, log: LogView, wipes: number): void {
    const ack = this.acked.get(id);
    this.acked.delete(id);
    this.atCrash.delete(id);
    // A later leader replaced the acknowledged suffix (it was never committed): nothing to keep.
    if (!ack || (ack.index > log.snapshotIndex && log.termAt(ack.index) !== ack.term)) return;
    this.atCrash.set(id, { ack, wipes });
  }

  /** The server came back from its disk: a violation message, or undefined. */
  onRestart(id: ServerId, log: LogView, wipes: number): string | undefined {
    const c = this.atCrash.get(id);
    this.atCrash.delete(id);
    if (!c || c.wipes !== wipes) return undefined;
    if (log.snapshotIndex >= c.ack.index || log.termAt(c.ack.index) === c.ack.term) return undefined;
    return `durability: ${id} acknowledged entry ${c.ack.index}@${c.ack.term} but restarted with log up to ${log.lastIndex()} (snapshot ${log.snapshotIndex})`;
  }
}
