import type { ConsulHttpClient } from '../../http-client.js';

/** Consul api defaults for lock and semaphore sessions: TTL, renewed at half of it. */
export const LOCK_SESSION_TTL = '15s';
const LOCK_SESSION_TTL_MS = 15_000;

/**
 * The TTL session behind a lock or semaphore (Consul's api.Lock/api.Semaphore recipe):
 * created once, renewed every TTL/2 in the background, destroyed on release. A 404 on
 * renew means the session was invalidated (TTL lapsed, node failed, destroyed by an
 * operator): `invalidated` resolves, and whoever holds the lock must treat it as lost.
 */
export class LockSession {
  private timer: NodeJS.Timeout | undefined;
  private resolveInvalidated!: (why: string) => void;
  /** Resolves once the session is known to be gone; never rejects. */
  readonly invalidated: Promise<string> = new Promise((r) => (this.resolveInvalidated = r));

  private constructor(
    private readonly client: ConsulHttpClient,
    readonly id: string,
  ) {}

  static async create(client: ConsulHttpClient, name: string): Promise<LockSession> {
    const res = await client.put('/v1/session/create', { body: { Name: name, TTL: LOCK_SESSION_TTL } });
    const s = new LockSession(client, res.json<{ ID: string }>().ID);
    s.startRenewing();
    return s;
  }

  /** Stops renewing and destroys the session (best effort: it expires on its own anyway). */
  async destroy(): Promise<void> {
    clearInterval(this.timer);
    await this.client.put(`/v1/session/destroy/${this.id}`).catch(() => undefined);
  }

  private startRenewing(): void {
    this.timer = setInterval(() => {
      this.client.put(`/v1/session/renew/${this.id}`, { allow404: true }).then(
        (res) => {
          if (res.status === 404) this.resolveInvalidated('session invalidated');
        },
        () => undefined, // transient: the holder's monitor decides whether the lock is gone
      );
    }, LOCK_SESSION_TTL_MS / 2);
    this.timer.unref();
  }
}
