/** Consul's UserEvent, as `/v1/event/fire` returns it and `/v1/event/list` lists it. */
export interface UserEvent {
  readonly ID: string;
  readonly Name: string;
  /** null when fired without a body. */
  readonly Payload: Uint8Array | null;
  readonly NodeFilter: string;
  readonly ServiceFilter: string;
  readonly TagFilter: string;
  readonly Version: number;
  /** Serf's Lamport time; 0 until the event came back through gossip. */
  readonly LTime: number;
}

/** What a caller of fire gives; the agent fills in ID and Version. */
export type FireRequest = Pick<UserEvent, 'Name' | 'Payload' | 'NodeFilter' | 'ServiceFilter' | 'TagFilter'>;

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
