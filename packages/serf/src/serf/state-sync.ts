import type { LamportClock } from './lamport-clock.js';
import type { MemberIntents } from './member-intents.js';
import type { MemberTable } from './member-table.js';
import { decodeSerf, encodeSerf, type SerfPushPull } from './serf-messages.js';
import type { UserEvents } from './user-events.js';

/**
 * What push/pull needs from its Serf. Both directions run synchronously inside
 * memberlist's stream exchange; merging delivers caught-up user events to listeners
 * on the spot.
 */
export interface StateSyncHost {
  readonly clock: LamportClock;
  readonly eventClock: LamportClock;
  readonly queryClock: LamportClock;
  readonly members: MemberTable;
  readonly intents: MemberIntents;
  readonly events: UserEvents;
}

/**
 * Serf's part of memberlist's full-state sync: every member's latest intent time (and
 * who left), the three Lamport clocks, and the recent user events, so a joining member
 * or one that lost gossip catches up in one exchange.
 */
export class StateSync {
  constructor(private readonly h: StateSyncHost) {}

  local(): Uint8Array {
    const status: Record<string, number> = {};
    const left: string[] = [];
    for (const m of this.h.members.values()) {
      status[m.name] = m.statusLTime;
      if (m.status === 'left') left.push(m.name);
    }
    const pp: SerfPushPull = {
      lt: this.h.clock.time(),
      status,
      left,
      elt: this.h.eventClock.time(),
      events: this.h.events.recentEvents(),
      qlt: this.h.queryClock.time(),
    };
    return encodeSerf(pp);
  }

  /** `ignoreOlderEvents`: a join that asked to skip user events fired before it. */
  merge(data: Uint8Array, ignoreOlderEvents: boolean): void {
    const { intents, events } = this.h;
    const pp = decodeSerf<SerfPushPull>(data);
    if (!pp || typeof pp.status !== 'object') return;
    this.h.clock.witness(pp.lt);
    const left = new Set(Array.isArray(pp.left) ? pp.left : []);
    for (const [node, lt] of Object.entries(pp.status)) {
      if (left.has(node)) intents.handleLeave({ s: 'leave', lt, node, prune: false });
      else intents.handleJoin({ s: 'join', lt, node });
    }
    if (ignoreOlderEvents) events.minTime = Math.max(events.minTime, pp.elt);
    this.h.eventClock.witness(pp.elt);
    this.h.queryClock.witness(pp.qlt);
    for (const e of Array.isArray(pp.events) ? pp.events : [])
      for (const x of e.events) events.handle({ s: 'user', lt: e.lt, name: x.name, payload: x.payload, cc: false });
  }
}
