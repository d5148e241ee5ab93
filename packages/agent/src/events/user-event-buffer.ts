import type { UserEvent } from '@proconsul/kernel';

/** Consul keeps the last 256 events per agent (its eventBuf). */
export const USER_EVENT_BUFFER_SIZE = 256;

/**
 * The agent's recent user events, oldest first, and wake-ups for blocked `event/list`
 * readers. Events are immutable; `list` returns a fresh array the caller owns.
 */
export class UserEventBuffer {
  private readonly events: UserEvent[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(private readonly capacity = USER_EVENT_BUFFER_SIZE) {}

  add(e: UserEvent): void {
    this.events.push(e);
    if (this.events.length > this.capacity) this.events.splice(0, this.events.length - this.capacity);
    const woken = [...this.waiters];
    this.waiters.clear();
    for (const w of woken) w();
  }

  /** Oldest first; only events named `name` when given. */
  list(name?: string): UserEvent[] {
    return name ? this.events.filter((e) => e.Name === name) : [...this.events];
  }

  /** Resolves true on the next added event, false after `ms` or when `signal` aborts. */
  waitForEvent(ms: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      const done = (v: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        signal?.removeEventListener('abort', onAbort);
        resolve(v);
      };
      const wake = () => done(true);
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(false), ms);
      this.waiters.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
