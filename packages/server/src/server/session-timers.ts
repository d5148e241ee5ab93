import { parseDuration, type Logger, type Session } from '@proconsul/kernel';

/** Consul waits up to twice the TTL before invalidating, so a renew that is a bit late is not fatal. */
export const SESSION_TTL_MULTIPLIER = 2;

/**
 * Session TTL timers. They run only on the leader: on gaining leadership every session
 * with a TTL gets a fresh full timer (Consul's behaviour — a new leader cannot know when
 * the last renew happened, so it errs towards keeping sessions), and on losing it all
 * timers stop. Expiry calls `expire`, which destroys the session through consensus.
 */
export class SessionTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly expire: (id: string) => Promise<void>,
    private readonly log: Logger,
  ) {}

  /** (Re)start the timer of `session`; a session without TTL has none. */
  reset(session: Pick<Session, 'ID' | 'TTL'>): void {
    this.clear(session.ID);
    if (!session.TTL) return;
    const ms = parseDuration(session.TTL) * SESSION_TTL_MULTIPLIER;
    const t = setTimeout(() => {
      this.timers.delete(session.ID);
      this.expire(session.ID).catch((e) => this.log.warn('session expiry failed', { session: session.ID, error: e }));
    }, ms);
    t.unref();
    this.timers.set(session.ID, t);
  }

  clear(id: string): void {
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
  }

  /** Leadership gained: arm every TTL session. */
  armAll(sessions: readonly Pick<Session, 'ID' | 'TTL'>[]): void {
    for (const s of sessions) this.reset(s);
  }

  clearAll(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  get size(): number {
    return this.timers.size;
  }
}
