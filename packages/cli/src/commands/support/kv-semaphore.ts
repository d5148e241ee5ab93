import type { ConsulHttpClient } from '../../http-client.js';
import { monitorHold } from './hold-monitor.js';
import { LOCK_WAIT } from './kv-lock.js';
import type { KvPair } from './kv-pair.js';
import { LockSession } from './lock-session.js';

/**
 * Consul's flag value marking semaphore keys (api.SemaphoreFlagValue = 0xe0f69a2baa414de0),
 * so a lock and a semaphore on one prefix refuse each other. Sent as exact decimal text;
 * compared after JSON.parse rounding on both sides, like the lock's.
 */
export const SEMAPHORE_FLAG_VALUE = BigInt('0xe0f69a2baa414de0').toString();
const SEMAPHORE_KEY = '.lock';

export interface KvSemaphoreOptions {
  /** KV prefix holding the contender keys and the `.lock` key. */
  readonly prefix: string;
  readonly limit: number;
  readonly sessionName: string;
  /** 0: wait forever; otherwise give up after this long. */
  readonly timeoutMs: number;
  readonly monitorRetries: number;
}

/** The `.lock` key's value, in Consul's JSON shape: the agreed limit and the current holders. */
interface SemaphoreLock {
  Limit: number;
  Holders: Record<string, boolean>;
}

interface PrefixView {
  readonly index: number;
  readonly pairs: readonly KvPair[];
}

/**
 * Consul's semaphore recipe (api.Semaphore), wire-compatible with `consul lock -n`: each
 * contender holds `prefix/<session>` with its session; `prefix/.lock` lists the holders and
 * the limit and is only changed with check-and-set, so two contenders cannot both take
 * the last slot. Holders whose contender key lost its session are pruned by whoever looks
 * next, which is how a crashed holder's slot comes back. One instance per attempt; not
 * safe to call concurrently except `lost` and `abort`.
 */
export class KvSemaphore {
  private session: LockSession | undefined;
  private readonly stop = new AbortController();
  private lostResolve!: (reason: string) => void;
  /** Resolves (with a reason) once our slot is known to be lost; never rejects. */
  readonly lost: Promise<string> = new Promise((r) => (this.lostResolve = r));

  constructor(
    private readonly client: ConsulHttpClient,
    private readonly opts: KvSemaphoreOptions,
  ) {}

  private get lockKey(): string {
    return this.opts.prefix ? `${this.opts.prefix}/${SEMAPHORE_KEY}` : SEMAPHORE_KEY;
  }

  private contenderKey(sid: string): string {
    return this.opts.prefix ? `${this.opts.prefix}/${sid}` : sid;
  }

  abort(): void {
    this.stop.abort();
  }

  /** Resolves true once a slot is held, false on timeout/abort. Throws on API errors and conflicts. */
  async acquire(signal: AbortSignal): Promise<boolean> {
    const onAbort = () => this.stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      this.session = await LockSession.create(this.client, this.opts.sessionName);
      void this.session.invalidated.then((why) => this.lostResolve(why));
      const sid = this.session.id;
      const made = await this.client.put(`/v1/kv/${this.contenderKey(sid)}`, {
        query: { acquire: sid, flags: SEMAPHORE_FLAG_VALUE },
        body: Buffer.alloc(0),
      });
      if (made.text().trim() !== 'true') throw new Error('failed to make contender entry');
      const deadline = this.opts.timeoutMs > 0 ? Date.now() + this.opts.timeoutMs : Infinity;
      let index = 0;
      while (!this.stop.signal.aborted) {
        const left = deadline - Date.now();
        if (left <= 0) return false;
        const view = await this.list(index, left >= 15_000 ? LOCK_WAIT : `${Math.max(1, Math.ceil(left))}ms`);
        const { pair, lock } = this.decode(view);
        if (lock.Holders[sid]) {
          this.monitor(sid);
          return true;
        }
        if (Object.keys(lock.Holders).length >= lock.Limit) {
          index = view.index;
          continue;
        }
        lock.Holders[sid] = true;
        if (await this.swap(lock, pair?.ModifyIndex ?? 0)) {
          this.monitor(sid);
          return true;
        }
        index = 0; // lost the race for the slot: look again at once
      }
      return false;
    } catch (e) {
      if (this.stop.signal.aborted) return false;
      throw e;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Leaves the holders (CAS loop), deletes our contender key, deletes `.lock` when nobody
   * else holds or waits (Consul's Destroy; skipped when in use), destroys the session.
   */
  async release(): Promise<void> {
    this.stop.abort();
    const session = this.session;
    if (!session) return;
    this.session = undefined;
    try {
      for (let attempt = 0; attempt < 20; attempt++) {
        const view = await this.list(0, undefined, null);
        const { pair, lock } = this.decode(view, false);
        if (!pair || !lock.Holders[session.id]) break;
        delete lock.Holders[session.id];
        if (await this.swap(lock, pair.ModifyIndex)) break;
      }
      await this.client.delete(`/v1/kv/${this.contenderKey(session.id)}`);
      await this.destroyIfUnused();
    } finally {
      await session.destroy();
    }
  }

  private async destroyIfUnused(): Promise<void> {
    const view = await this.list(0, undefined, null);
    const { pair, lock } = this.decode(view, false);
    if (!pair) return;
    const contenders = view.pairs.filter((p) => p.Key !== this.lockKey && p.Session);
    if (Object.keys(lock.Holders).length > 0 || contenders.length > 0) return; // in use: leave it
    await this.client.delete(`/v1/kv/${this.lockKey}`, { query: { cas: pair.ModifyIndex } });
  }

  /** The `.lock` pair and its decoded value, with holders whose contender key lost its session pruned. */
  private decode(view: PrefixView, checkLimit = true): { pair: KvPair | undefined; lock: SemaphoreLock } {
    const pair = view.pairs.find((p) => p.Key === this.lockKey);
    if (pair && pair.Flags !== Number(SEMAPHORE_FLAG_VALUE)) throw new Error('Existing key does not match semaphore use');
    let lock: SemaphoreLock = { Limit: this.opts.limit, Holders: {} };
    if (pair?.Value) {
      try {
        lock = JSON.parse(Buffer.from(pair.Value, 'base64').toString('utf8')) as SemaphoreLock;
      } catch {
        throw new Error('Failed to decode semaphore lock');
      }
      lock.Holders ??= {};
    }
    if (checkLimit && lock.Limit !== this.opts.limit)
      throw new Error(`semaphore limit conflict (lock: ${lock.Limit}, local: ${this.opts.limit})`);
    const alive = new Set(view.pairs.filter((p) => p.Session && p.Key === this.contenderKey(p.Session)).map((p) => p.Session));
    for (const h of Object.keys(lock.Holders)) if (!alive.has(h)) delete lock.Holders[h];
    return { pair, lock };
  }

  /** Check-and-set of `.lock` over `modifyIndex` (0: create only). */
  private async swap(lock: SemaphoreLock, modifyIndex: number): Promise<boolean> {
    const res = await this.client.put(`/v1/kv/${this.lockKey}`, {
      query: { cas: modifyIndex, flags: SEMAPHORE_FLAG_VALUE },
      body: Buffer.from(JSON.stringify(lock)),
    });
    return res.text().trim() === 'true';
  }

  private async list(index: number, wait?: string, signal: AbortSignal | null = this.stop.signal): Promise<PrefixView> {
    const res = await this.client.get(`/v1/kv/${this.opts.prefix}`, {
      query: { recurse: true, index: index > 0 ? index : undefined, wait: index > 0 ? wait : undefined },
      allow404: true,
      signal: signal ?? undefined,
    });
    return { index: res.index, pairs: res.status === 404 ? [] : res.json<KvPair[]>() };
  }

  private monitor(sid: string): void {
    monitorHold(
      async (index) => {
        const view = await this.list(index, LOCK_WAIT);
        return { index: view.index, held: !!this.decode(view, false).lock.Holders[sid] };
      },
      {
        retries: this.opts.monitorRetries,
        stop: this.stop.signal,
        what: 'semaphore slot',
        onLost: (why) => this.lostResolve(why),
      },
    );
  }
}
