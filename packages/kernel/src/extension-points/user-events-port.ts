import type { UserEvent } from '../events/user-event.js';
import type { FireRequest } from '../events/user-events.js';

/** User events as the HTTP API uses them (PUT /v1/event/fire, GET /v1/event/list). Bound by the kernel. */
export const UserEventsPort = Symbol.for('proconsul.UserEventsPort');

export interface UserEventsPort {
  /** Broadcasts through gossip; rejects (coded) when no membership plugin is loaded. */
  fire(req: FireRequest): Promise<UserEvent>;
  readonly buffer: {
    /** Recent events, oldest first; `name` filters. */
    list(name?: string): UserEvent[];
    /** Resolves true at the next event, false after `ms` or when `signal` aborts. */
    waitForEvent(ms: number, signal?: AbortSignal): Promise<boolean>;
  };
}
