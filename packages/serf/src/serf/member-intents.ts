import type { Logger, Pool } from '@proconsul/kernel';
import { BroadcastQueue } from '../memberlist/broadcast-queue.js';
import { waitAtMost, type Scheduler } from '../memberlist/scheduler.js';
import type { IntentBuffer } from './intent-buffer.js';
import type { LamportClock } from './lamport-clock.js';
import type { MemberTable } from './member-table.js';
import type { SerfConfig } from './serf-config.js';
import { encodeSerf, type SerfMsg } from './serf-messages.js';

/**
 * What intents need from their Serf. Handlers run synchronously on the receive path;
 * only leave() waits, for its intent to spread, while gossip goes on around it.
 */
export interface MemberIntentsHost {
  readonly name: string;
  readonly pool: Pool;
  readonly log: Logger;
  readonly config: SerfConfig;
  readonly scheduler: Scheduler;
  readonly clock: LamportClock;
  readonly members: MemberTable;
  readonly intentBuffer: IntentBuffer;
  numNodes(): number;
  /** Only a member still alive refutes a leave intent about itself. */
  isAlive(): boolean;
}

/**
 * Join and leave intents, ordered by the membership Lamport clock: memberlist only says
 * whether a member is reachable, the intents say whether it meant to go (leaving, left)
 * and let force-leave turn a failed member into a left one. A newer intent replaces the
 * older one in the gossip queue (keyed by member).
 */
export class MemberIntents {
  readonly queue: BroadcastQueue;

  constructor(private readonly h: MemberIntentsHost) {
    this.queue = new BroadcastQueue(h.config.memberlist.retransmitMult, () => h.numNodes());
  }

  /** True when the intent was news (and so worth re-gossiping). */
  handleJoin(j: Extract<SerfMsg, { s: 'join' }>): boolean {
    this.h.clock.witness(j.lt);
    const m = this.h.members.get(j.node);
    if (!m) return this.h.intentBuffer.upsert(j.node, 'join', j.lt);
    if (j.lt <= m.statusLTime) return false;
    m.statusLTime = j.lt;
    if (m.status === 'leaving') m.status = 'alive';
    return true;
  }

  /** True when the intent was news (and so worth re-gossiping). */
  handleLeave(l: Extract<SerfMsg, { s: 'leave' }>): boolean {
    const { members, log, pool } = this.h;
    this.h.clock.witness(l.lt);
    const m = members.get(l.node);
    if (!m) return this.h.intentBuffer.upsert(l.node, 'leave', l.lt);
    if (l.lt <= m.statusLTime) return false;
    if (l.node === this.h.name && this.h.isAlive()) {
      // Someone says we are leaving (stale intent or force-leave): refute with a newer join.
      log.debug('refuting an older leave intent about us');
      this.broadcastJoin();
      return false;
    }
    m.statusLTime = l.lt;
    switch (m.status) {
      case 'alive':
        m.status = 'leaving';
        return true;
      case 'failed':
        m.status = 'left';
        log.info('failed member forced to left', { member: m.name, pool });
        members.emitMember('member-leave', m);
        if (l.prune) members.erase(m);
        return true;
      case 'left':
        if (l.prune) members.erase(m);
        return l.prune;
      default:
        return false;
    }
  }

  /** Gossips a fresh join intent about us; it outranks any leave intent still circulating. */
  broadcastJoin(): void {
    const msg: SerfMsg = { s: 'join', lt: this.h.clock.increment(), node: this.h.name };
    const me = this.h.members.get(this.h.name);
    if (me) me.statusLTime = msg.lt;
    this.queue.queue(encodeSerf(msg), `intent:${this.h.name}`);
  }

  /**
   * Records a leave intent for `node` (ourselves, or a failed member for force-leave) and
   * resolves once it has been gossiped out, or after broadcastTimeout.
   */
  leave(node: string, prune: boolean): Promise<void> {
    const msg: Extract<SerfMsg, { s: 'leave' }> = { s: 'leave', lt: this.h.clock.increment(), node, prune };
    this.handleLeave(msg);
    // Deliberately not async: another async layer would delay the caller's resumption by
    // a microtask turn relative to other pending work, and seeded simulations replay that order.
    return this.broadcastAndWait(encodeSerf(msg), `intent:${node}`);
  }

  private async broadcastAndWait(msg: Uint8Array, key: string): Promise<void> {
    let done!: () => void;
    const spread = new Promise<void>((r) => (done = r));
    this.queue.queue(msg, key, done);
    if (this.h.members.hasAlivePeers()) await waitAtMost(this.h.scheduler, spread, this.h.config.broadcastTimeoutMs);
  }
}
