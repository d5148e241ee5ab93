import type { MemberIntents } from './member-intents.js';
import type { Queries } from './query-handling.js';
import { decodeSerf, type SerfMsg } from './serf-messages.js';
import type { UserEvents } from './user-events.js';

/**
 * What the router needs from its Serf. Routing runs synchronously on memberlist's
 * receive path (a gossip packet, a direct packet or a stream), and piggybacking runs
 * synchronously while memberlist assembles an outgoing packet.
 */
export interface MessageRouterHost {
  readonly intents: MemberIntents;
  readonly events: UserEvents;
  readonly queries: Queries;
  expediteGossip(): void;
}

/**
 * Serf's messages travel as memberlist user messages: this hands each to its handler,
 * re-gossips those that were news, and fills memberlist's packets from the three gossip
 * queues (intents first: membership matters most when space is short).
 */
export class MessageRouter {
  constructor(private readonly h: MessageRouterHost) {}

  route(data: Uint8Array): void {
    const { intents, events, queries } = this.h;
    const m = decodeSerf<SerfMsg>(data);
    if (!m || typeof m.s !== 'string') return;
    let rebroadcast = false;
    let queue = intents.queue;
    let key: string | undefined;
    switch (m.s) {
      case 'join':
        rebroadcast = intents.handleJoin(m);
        key = `intent:${m.node}`;
        break;
      case 'leave':
        rebroadcast = intents.handleLeave(m);
        key = `intent:${m.node}`;
        break;
      case 'user':
        rebroadcast = events.handle(m);
        queue = events.queue;
        break;
      case 'query':
        rebroadcast = queries.handle(m);
        queue = queries.queue;
        break;
      case 'qresp':
        queries.handleResponse(m);
        return;
    }
    if (!rebroadcast) return;
    queue.queue(Uint8Array.from(data), key);
    // Events and queries are news someone is waiting for: pass them on now, not at the next tick.
    if (queue !== intents.queue) this.h.expediteGossip();
  }

  /** Queued serf messages fitting in `limit` bytes, each costing its length plus `overhead`. */
  broadcasts(overhead: number, limit: number): Uint8Array[] {
    const { intents, events, queries } = this.h;
    const out: Uint8Array[] = [];
    let left = limit;
    for (const q of [intents.queue, events.queue, queries.queue]) {
      const got = q.getBroadcasts(overhead, left);
      for (const m of got) left -= m.length + overhead;
      out.push(...got);
    }
    return out;
  }
}
