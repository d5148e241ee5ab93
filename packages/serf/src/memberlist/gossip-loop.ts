import type { Logger } from '@proconsul/kernel';
import type { BroadcastQueue } from './broadcast-queue.js';
import type { MemberlistConfig } from './config.js';
import { COMPOUND_PART_OVERHEAD, encode, type Msg } from './messages.js';
import type { MemberlistDelegate } from './node-state.js';
import type { NodeTable } from './node-table.js';
import type { Scheduler, TimerHandle } from './scheduler.js';
import type { Wire } from './wire.js';

/** Expedited gossip rounds are at least this far apart (a tenth of the LAN gossip interval). */
const EXPEDITE_SPACING_MS = 20;

/**
 * What the loop needs from its Memberlist. Periodic tasks are async (a probe round or a
 * push/pull awaits the network) and the next run of a task is scheduled only after the
 * previous one finished, so one task never overlaps itself; different tasks and incoming
 * packets do interleave at their awaits.
 */
export interface GossipHost {
  readonly config: MemberlistConfig;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  readonly delegate: MemberlistDelegate | undefined;
  readonly nodes: NodeTable;
  readonly broadcasts: BroadcastQueue;
  readonly wire: Wire;
  isRunning(): boolean;
}

/**
 * The periodic timers (probe, gossip, push/pull), gossip rounds, and piggybacking of
 * queued broadcasts (ours, then the delegate's) on every packet we send.
 */
export class GossipLoop {
  private readonly timers = new Set<TimerHandle>();
  private expedited: TimerHandle | undefined;
  private lastExpedited = -Infinity;

  constructor(private readonly h: GossipHost) {}

  /** Runs `fn` every `interval()` ms (measured start to start) until stop(). */
  every(interval: () => number, fn: () => void | Promise<void>, stagger = false): void {
    const { scheduler } = this.h;
    const schedule = (ms: number) => {
      const timer = scheduler.setTimeout(async () => {
        this.timers.delete(timer);
        if (!this.h.isRunning()) return;
        const started = scheduler.now();
        try {
          await fn();
        } catch (e) {
          this.h.logger.error('periodic task failed', { error: e });
        }
        if (this.h.isRunning()) schedule(Math.max(0, started + interval() - scheduler.now()));
      }, ms);
      this.timers.add(timer);
    };
    // Random phase so members started together do not probe in lockstep.
    schedule(stagger ? scheduler.random() * interval() : interval());
  }

  /**
   * Gossips pending broadcasts now instead of at the next tick. memberlist waits for the
   * tick, so news travels one hop per gossip interval (up to 200ms each on a LAN); for
   * news someone waits on (user events, queries, our own refutation) we push it at once.
   * Each early round spends the same retransmit budget a tick would, so the number of
   * copies sent is unchanged; rounds queued in one event-loop turn are merged, and
   * rounds are spaced EXPEDITE_SPACING_MS apart so a burst cannot flood the pool.
   */
  expedite(): void {
    const { scheduler } = this.h;
    if (!this.h.isRunning() || this.expedited) return;
    const wait = Math.max(0, this.lastExpedited + EXPEDITE_SPACING_MS - scheduler.now());
    this.expedited = scheduler.setTimeout(() => {
      this.expedited = undefined;
      if (!this.h.isRunning()) return;
      this.lastExpedited = scheduler.now();
      this.round();
    }, wait);
  }

  /** One gossip round: packets full of broadcasts to a few random members. */
  round(): void {
    const { config: c, wire } = this.h;
    const now = this.h.scheduler.now();
    const targets = this.h.nodes.randomNodes(c.gossipNodes, (n) => {
      if (n.name === c.name) return true;
      if (n.state === 'alive' || n.state === 'suspect') return false;
      // Recently dead members still hear gossip, so they can learn of their death and refute.
      return now - n.stateChange > c.gossipToTheDeadTimeMs;
    });
    for (const t of targets) {
      const msgs = this.piggyback(COMPOUND_PART_OVERHEAD, wire.packetLimit);
      if (msgs.length === 0) return;
      wire.sendCompound(t.addr, t.port, msgs);
    }
  }

  /** Sends `msgs` in one packet, filling the room left with queued broadcasts. */
  send(addr: string, port: number, msgs: Msg[]): void {
    const { wire } = this.h;
    const parts = msgs.map(encode);
    let used = 0;
    for (const p of parts) used += p.length + COMPOUND_PART_OVERHEAD;
    parts.push(...this.piggyback(COMPOUND_PART_OVERHEAD, wire.packetLimit - used));
    wire.sendCompound(addr, port, parts);
  }

  stop(): void {
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    this.expedited?.cancel();
    this.expedited = undefined;
  }

  private piggyback(overhead: number, limit: number): Uint8Array[] {
    const own = this.h.broadcasts.getBroadcasts(overhead, limit);
    let used = 0;
    for (const m of own) used += m.length + overhead;
    const { delegate } = this.h;
    if (delegate && limit - used > overhead) {
      for (const d of delegate.getBroadcasts(overhead + 8, limit - used)) own.push(encode({ t: 'user', data: d }));
    }
    return own;
  }
}
