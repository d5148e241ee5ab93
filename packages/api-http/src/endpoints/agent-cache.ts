import type { QueryReply } from '@proconsul/kernel';

/** A background fetch: a blocking read past `minIndex` (0 = answer at once). */
export type CacheFetch<T> = (minIndex: number, signal: AbortSignal) => Promise<QueryReply<T>>;

/** A cached answer and how it was served (Consul's `X-Cache` and `Age`). */
export interface CacheResult<T> {
  readonly reply: QueryReply<T>;
  readonly hit: boolean;
  /** Seconds since the value was last known to match the servers (0 while its watch is healthy). */
  readonly ageSeconds: number;
}

export interface AgentCacheOptions {
  /** Most entries kept; the least recently requested goes first (its watch stops). */
  readonly maxEntries?: number;
  /** An entry nobody asked for in this long is dropped (Consul: 3 days). */
  readonly ttlMs?: number;
  /** Pause after a failed background read (doubled per failure after the third, capped at 1 min). */
  readonly retryMs?: number;
  readonly now?: () => number;
}

interface Entry {
  reply: QueryReply<unknown> | undefined;
  /** When the background watch last failed, and has not succeeded since. */
  lostContactAt: number | undefined;
  lastAccess: number;
  readonly abort: AbortController;
  readonly first: Promise<void>;
  /** Woken on every new value (blocking reads served from the cache). */
  waiters: Set<() => void>;
}

/**
 * The agent cache behind `?cached` (Consul's "background refresh" kind): the first request
 * for a key fetches from the servers (MISS) and starts one blocking watch that keeps the
 * value current; later requests are answered from memory (HIT), blocking ones included, so
 * many local watchers cost one watch on the servers. Keys must include the ACL token: a
 * value is never served to a request with a different token. Bounded by `maxEntries` and
 * `ttlMs`. `get` may block up to the request's wait; `close` ends every watch at once.
 */
export class AgentCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly retryMs: number;
  private readonly now: () => number;
  private closed = false;
  private lastSweep = 0;

  constructor(opts: AgentCacheOptions = {}) {
    this.maxEntries = opts.maxEntries ?? 10_000;
    this.ttlMs = opts.ttlMs ?? 3 * 24 * 3600_000;
    this.retryMs = opts.retryMs ?? 1000;
    this.now = opts.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  async get<T>(
    key: string,
    fetch: CacheFetch<T>,
    opts: { minIndex: number; maxWaitMs: number; signal?: AbortSignal },
  ): Promise<CacheResult<T>> {
    this.expire();
    let entry = this.entries.get(key);
    let hit = true;
    if (entry) {
      this.entries.delete(key); // re-insert: Map order is the LRU order
      this.entries.set(key, entry);
    } else {
      hit = false;
      entry = this.start(key, fetch as CacheFetch<unknown>);
    }
    entry.lastAccess = this.now();
    if (!entry.reply) {
      // The first fetch failed or is under way: a miss either way, its error is the answer.
      hit = false;
      await entry.first;
    }
    if (opts.minIndex > 0 && entry.reply && entry.reply.meta.index <= opts.minIndex) {
      await this.waitForChange(entry, opts.minIndex, opts.maxWaitMs, opts.signal);
    }
    const reply = entry.reply as QueryReply<T>;
    const age = entry.lostContactAt === undefined ? 0 : Math.floor((this.now() - entry.lostContactAt) / 1000);
    return { reply, hit, ageSeconds: age };
  }

  /** Ends every background watch (agent shutdown). */
  close(): void {
    this.closed = true;
    for (const e of this.entries.values()) e.abort.abort();
    this.entries.clear();
  }

  private start(key: string, fetch: CacheFetch<unknown>): Entry {
    const abort = new AbortController();
    let resolveFirst!: () => void;
    let rejectFirst!: (e: unknown) => void;
    const first = new Promise<void>((res, rej) => {
      resolveFirst = res;
      rejectFirst = rej;
    });
    const entry: Entry = { reply: undefined, lostContactAt: undefined, lastAccess: this.now(), abort, first, waiters: new Set() };
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) this.drop(this.entries.keys().next().value as string);
    fetch(0, abort.signal).then(
      (r) => {
        entry.reply = r;
        resolveFirst();
        void this.watch(key, entry, fetch);
      },
      (e: unknown) => {
        // Nothing is cached for a failed first fetch: the next request tries again.
        if (this.entries.get(key) === entry) this.drop(key);
        rejectFirst(e);
      },
    );
    return entry;
  }

  private async watch(key: string, entry: Entry, fetch: CacheFetch<unknown>): Promise<void> {
    let failures = 0;
    while (!entry.abort.signal.aborted && !this.closed) {
      try {
        const r = await fetch(entry.reply?.meta.index ?? 0, entry.abort.signal);
        failures = 0;
        entry.lostContactAt = undefined;
        // An index going backwards (a restored snapshot) restarts from it, as Consul does.
        entry.reply = r;
        for (const w of [...entry.waiters]) w();
      } catch {
        if (entry.abort.signal.aborted) return;
        failures++;
        entry.lostContactAt ??= this.now();
        const pause = failures <= 3 ? this.retryMs : Math.min(60_000, this.retryMs * 2 ** (failures - 3));
        await sleep(pause * (0.5 + Math.random() / 2), entry.abort.signal);
      }
    }
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }

  private waitForChange(entry: Entry, minIndex: number, maxWaitMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      // Listeners are removed again: an entry lives for days and serves many blocking reads.
      const done = () => {
        clearTimeout(timer);
        entry.waiters.delete(onUpdate);
        entry.abort.signal.removeEventListener('abort', done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const onUpdate = () => {
        if ((entry.reply?.meta.index ?? 0) > minIndex) done();
      };
      const timer = setTimeout(done, maxWaitMs);
      entry.waiters.add(onUpdate);
      entry.abort.signal.addEventListener('abort', done, { once: true });
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  private drop(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    e.abort.abort();
    for (const w of [...e.waiters]) w();
  }

  private expire(): void {
    if (this.now() - this.lastSweep < 60_000) return;
    this.lastSweep = this.now();
    const cutoff = this.now() - this.ttlMs;
    for (const [k, e] of this.entries) if (e.lastAccess < cutoff) this.drop(k);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
