import { UserEventTooLarge } from '../errors.js';
import { BroadcastQueue } from '../memberlist/broadcast-queue.js';
import type { Scheduler } from '../memberlist/scheduler.js';
import type { LamportClock } from './lamport-clock.js';
import type { MembershipListeners } from './membership-listeners.js';
import { RecentBuffer } from './recent-buffer.js';
import type { SerfConfig } from './serf-config.js';
import { encodeSerf, type SerfMsg } from './serf-messages.js';
import { UserEventCoalescer } from './user-event-coalescer.js';

export type UserEventMsg = Extract<SerfMsg, { s: 'user' }>;

/**
 * What user events need from their Serf. Everything is synchronous: an event is
 * delivered to listeners (now, or when its coalescing window closes on a timer) from
 * inside the handler that received it.
 */
export interface UserEventsHost {
  readonly config: SerfConfig;
  readonly scheduler: Scheduler;
  readonly eventClock: LamportClock;
  readonly listeners: MembershipListeners;
  numNodes(): number;
  /** Events are news someone waits for: they go out at once, not at the next gossip tick. */
  expediteGossip(): void;
}

/**
 * Serf user events: fired by anyone, gossiped to all, delivered once per member
 * (de-duplicated over the recent Lamport window), optionally coalesced per name.
 */
export class UserEvents {
  readonly queue: BroadcastQueue;
  /**
   * Events older than this Lamport time are not delivered: they were delivered before a
   * restart, or predate a join that asked to ignore old events.
   */
  minTime = 0;
  private readonly recent: RecentBuffer<{ name: string; payload: Uint8Array }>;
  private readonly coalescer: UserEventCoalescer;

  constructor(private readonly h: UserEventsHost) {
    const c = h.config;
    this.recent = new RecentBuffer(
      c.eventBufferSize,
      (a, b) => a.name === b.name && Buffer.compare(Buffer.from(a.payload), Buffer.from(b.payload)) === 0,
    );
    this.queue = new BroadcastQueue(c.memberlist.retransmitMult, () => h.numNodes());
    this.coalescer = new UserEventCoalescer(h.scheduler, c.userCoalescePeriodMs, c.userQuiescentPeriodMs, (e) =>
      h.listeners.emit({ type: 'user', ...e }),
    );
  }

  /** Fires an event of ours: delivered here too, then gossiped. */
  fire(name: string, payload: Uint8Array, coalesce: boolean): void {
    const { config: c, eventClock } = this.h;
    const size = Buffer.byteLength(name) + payload.length;
    if (size > c.userEventSizeLimit) throw UserEventTooLarge(size, c.userEventSizeLimit);
    const msg: SerfMsg = { s: 'user', lt: eventClock.time(), name, payload, cc: coalesce };
    eventClock.increment();
    this.handle(msg);
    this.queue.queue(encodeSerf(msg));
    this.h.expediteGossip();
  }

  /** Delivers the event if it is new; true when it was (and so worth re-gossiping). */
  handle(e: UserEventMsg): boolean {
    const { eventClock } = this.h;
    eventClock.witness(e.lt + 1);
    if (e.lt < this.minTime) return false;
    const payload = e.payload instanceof Uint8Array ? e.payload : new Uint8Array(0);
    if (!this.recent.add(e.lt, { name: e.name, payload }, eventClock.time())) return false;
    this.coalescer.push({ name: e.name, payload, ltime: e.lt, coalesce: !!e.cc });
    return true;
  }

  /** The recent window, for push/pull (a joining member catches up on events it missed). */
  recentEvents(): { lt: number; events: { name: string; payload: Uint8Array }[] }[] {
    return this.recent.entries().map((e) => ({ lt: e.lt, events: e.items }));
  }

  stop(): void {
    this.coalescer.stop();
  }
}
