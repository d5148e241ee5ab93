import { ConsulHttpClient } from '../../http-client.js';
import { sleep } from './child-process.js';
import type { KvPair } from './kv-pair.js';
import { monitorHold } from './hold-monitor.js';
import { LockSession } from './lock-session.js';

/**
 * Consul's magic flag value marking a key as a lock (api.LockFlagValue = 0x2ddccbc058a50c18),
 * so a lock and a semaphore on one prefix detect each other. Beyond 2^53: sent as exact decimal
 * text, compared after JSON.parse rounding on both sides.
 */
export const LOCK_FLAG_VALUE = BigInt('0x2ddccbc058a50c18').toString();

/** Consul api defaults for locks: blocking wait, retry after a lock-delay refusal. */
export const LOCK_WAIT = '15s';
const LOCK_RETRY_MS = 5_000;

export interface KvLockOptions {
  readonly key: string;
  readonly sessionName: string;
  /** 0: wait forever; otherwise give up after this long (Consul's -timeout, "try once"). */
  readonly timeoutMs: number;
  readonly monitorRetries: number;
}

/**
 * The leader-election recipe from Consul's docs on one key: a TTL session renewed at TTL/2,
 * `?acquire=` on the key, a blocking read to wait for the holder to go, then a blocking monitor
 * that reports loss when the key's Session is no longer ours. One instance per lock attempt;
 * methods are not safe to call concurrently except `lost` (a promise) and `abort`.
 */
export class KvLock {
  private session: LockSession | undefined;
  private sessionId: string | undefined;
  private readonly stop = new AbortController();
  private lostResolve!: (reason: string) => void;
  /** Resolves (with a reason) once the lock is known to be lost; never rejects. */
  readonly lost: Promise<string> = new Promise((r) => (this.lostResolve = r));

  constructor(
    private readonly client: ConsulHttpClient,
    private readonly opts: KvLockOptions,
  ) {}

  abort(): void {
    this.stop.abort();
  }

  /** Resolves true once held, false on timeout/abort. Throws on API errors and flag mismatch. */
  async acquire(signal: AbortSignal): Promise<boolean> {
    const onAbort = () => this.stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      this.session = await LockSession.create(this.client, this.opts.sessionName);
      this.sessionId = this.session.id;
      void this.session.invalidated.then((why) => this.lostResolve(why));
      const deadline = this.opts.timeoutMs > 0 ? Date.now() + this.opts.timeoutMs : Infinity;
      let index = 0;
      while (!this.stop.signal.aborted) {
        const pair = await this.read(0);
        // Any other use of the key (a plain value, a semaphore) must not be taken over silently.
        if (pair.value && pair.value.Flags !== Number(LOCK_FLAG_VALUE)) throw new Error('Existing key does not match lock use');
        if (pair.value?.Session === this.sessionId) return true;
        if (!pair.value?.Session) {
          const put = await this.client.put(`/v1/kv/${this.opts.key}`, {
            query: { acquire: this.sessionId, flags: LOCK_FLAG_VALUE },
            body: Buffer.alloc(0),
            signal: this.stop.signal,
          });
          if (put.text().trim() === 'true') {
            this.monitor();
            return true;
          }
        }
        if (Date.now() >= deadline) return false;
        const after = await this.read(0);
        if (after.value?.Session) {
          index = after.index;
          const waitMs = Math.min(deadline - Date.now(), 15_000);
          await this.read(index, waitMs === 15_000 ? LOCK_WAIT : `${Math.max(1, Math.ceil(waitMs))}ms`);
        } else {
          // Free but refused: a lock-delay is in effect after an invalidated session.
          await sleep(Math.min(LOCK_RETRY_MS, Math.max(0, deadline - Date.now())), this.stop.signal);
        }
        if (Date.now() >= deadline) return false;
      }
      return false;
    } catch (e) {
      if (this.stop.signal.aborted) return false;
      throw e;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Releases the key, deletes it if nobody holds it, destroys the session. Best effort, in that order. */
  async release(): Promise<void> {
    this.stop.abort();
    const session = this.session;
    if (!session) return;
    const sid = session.id;
    this.session = undefined;
    this.sessionId = undefined;
    try {
      await this.client.put(`/v1/kv/${this.opts.key}`, {
        query: { release: sid, flags: LOCK_FLAG_VALUE },
        body: Buffer.alloc(0),
      });
      const pair = await this.read(0, undefined, null);
      if (pair.value && !pair.value.Session) {
        await this.client.delete(`/v1/kv/${this.opts.key}`, { query: { cas: pair.value.ModifyIndex } });
      }
    } finally {
      await session.destroy();
    }
  }

  /** Reads the key; blocking reads (index > 0) end early when the lock is being torn down. */
  private async read(
    index: number,
    wait?: string,
    signal: AbortSignal | null = this.stop.signal,
  ): Promise<{ index: number; value: KvPair | undefined }> {
    const res = await this.client.get(`/v1/kv/${this.opts.key}`, {
      query: { index: index > 0 ? index : undefined, wait: index > 0 ? wait : undefined },
      allow404: true,
      signal: signal ?? undefined,
    });
    // Flags above 2^53 come back rounded by JSON.parse, exactly as Number(LOCK_FLAG_VALUE) is.
    return { index: res.index, value: res.status === 404 ? undefined : res.json<KvPair[]>()[0] };
  }

  private monitor(): void {
    monitorHold(
      async (index) => {
        const r = await this.read(index, LOCK_WAIT);
        return { index: r.index, held: !!r.value && r.value.Session === this.sessionId };
      },
      { retries: this.opts.monitorRetries, stop: this.stop.signal, what: 'lock', onLost: (why) => this.lostResolve(why) },
    );
  }
}
