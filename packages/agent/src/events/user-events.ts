import { randomUUID } from 'node:crypto';
import type { FireRequest, Logger, Membership, UserEvent } from '@proconsul/kernel';
import { NoGossipForEvents } from './event-errors.js';
import { UserEventBuffer } from './user-event-buffer.js';
import { acceptsUserEvent, type LocalServiceView } from './user-event-filter.js';
import { USER_EVENT_PREFIX, USER_EVENT_VERSION, decodeUserEvent, encodeUserEvent, validateUserEvent } from './user-event.js';

export interface UserEventsDeps {
  readonly nodeName: string;
  /** Resolved on use: the membership plugin binds after the kernel. */
  readonly membership: () => Membership | undefined;
  /** This agent's registered services, for service and tag filters. */
  readonly localServices: () => readonly LocalServiceView[];
  readonly log: Logger;
}

/**
 * Consul's user events on one agent: firing gossips an envelope with the filters; every
 * agent (the firing one too, serf delivers locally) judges the filters against itself and
 * keeps accepted events in its buffer for `/v1/event/list` and event watches.
 */
export class UserEvents {
  readonly buffer = new UserEventBuffer();
  private off: (() => void) | undefined;

  constructor(private readonly deps: UserEventsDeps) {}

  start(): void {
    const m = this.deps.membership();
    if (!m || this.off) return;
    this.off = m.subscribe((e) => {
      if (e.type !== 'user' || !e.name.startsWith(USER_EVENT_PREFIX)) return;
      this.receive(e.payload, e.ltime);
    });
  }

  stop(): void {
    this.off?.();
    this.off = undefined;
  }

  /** Validate, stamp and gossip an event; resolves with it as Consul's fire endpoint returns it (LTime 0). */
  async fire(req: FireRequest): Promise<UserEvent> {
    validateUserEvent(req);
    const m = this.deps.membership();
    if (!m) throw NoGossipForEvents();
    const event: UserEvent = { ...req, ID: randomUUID(), Version: USER_EVENT_VERSION, LTime: 0 };
    await m.userEvent(USER_EVENT_PREFIX + event.Name, encodeUserEvent(event), false);
    return event;
  }

  /** A gossiped envelope: decoded, filtered against this agent, buffered. */
  receive(payload: Uint8Array, ltime: number): void {
    const e = decodeUserEvent(payload, ltime);
    if (!e) {
      this.deps.log.warn('failed to decode user event');
      return;
    }
    if (e.Version > USER_EVENT_VERSION)
      this.deps.log.warn('event version may have unsupported features', { version: e.Version, name: e.Name });
    if (!acceptsUserEvent(e, this.deps.nodeName, this.deps.localServices())) return;
    this.deps.log.debug('new event', { event_name: e.Name, event_id: e.ID });
    this.buffer.add(e);
  }
}
