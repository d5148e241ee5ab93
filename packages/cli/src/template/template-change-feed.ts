import { StreamDeniedError, StreamRequestError, subscribe, type StreamEvent, type AllEntry } from '@proconsul/stream-client';
import type { ConsulHttpClient } from '../http-client.js';
import type { Dependency } from './consul-template-data.js';
import { dependencyTopic, type DependencyTopic } from './dependency-topic.js';

/** How long one fallback blocking read waits before it is asked again. */
const BLOCK_WAIT = '60s';
const RETRY_MS = 2_000;

interface Watch {
  close(): void;
}

export type ChangeOutcome = 'changed' | 'child-exited' | 'stopped';

/**
 * What tells `proconsul template` to render again: one `/v1/stream` subscription per distinct
 * topic its templates read, kept open across renderings, so a change costs one pushed event
 * rather than a re-issued blocking query per read. A read no topic covers (another
 * datacenter), or whose stream the agent refuses (an agent without `/v1/stream`, a token
 * without the topic's right), is followed with blocking queries instead. Renderings
 * themselves are plain reads.
 */
export class TemplateChangeFeed {
  private readonly watches = new Map<string, Watch>();
  /** Subscriptions the agent refused: their reads use blocking queries from now on. */
  private readonly unstreamable = new Set<string>();
  private dirty = false;
  private readonly waiters = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly client: ConsulHttpClient,
    private readonly warn: (line: string) => void,
  ) {}

  /**
   * Follows exactly these reads from now on: opens what is new, closes what the templates no
   * longer read. A new subscription reports one change once its snapshot is in, since the data
   * may have moved between the template's read and the subscription's start.
   */
  track(deps: readonly Dependency[]): void {
    if (this.closed) return;
    const want = new Map<string, () => Watch>();
    for (const d of deps) {
      const t = this.client.options.datacenter ? undefined : dependencyTopic(d);
      if (t && !this.unstreamable.has(t.id)) want.set(t.id, () => this.streamWatch(t));
      else want.set(`blocking\0${d.path}?${JSON.stringify(d.query)}`, () => this.blockingWatch(d));
    }
    for (const [id, w] of this.watches)
      if (!want.has(id)) {
        w.close();
        this.watches.delete(id);
      }
    for (const [id, make] of want) if (!this.watches.has(id)) this.watches.set(id, make());
  }

  /** Forget changes seen so far: called just before a rendering, which reads them all. */
  clear(): void {
    this.dirty = false;
  }

  /** Resolves at the first change since `clear()` (at once if one happened), when the child exits, or when stopped. */
  async next(signal: AbortSignal, childExit?: Promise<number>): Promise<ChangeOutcome> {
    if (signal.aborted) return 'stopped';
    if (this.dirty) return 'changed';
    let wake!: () => void;
    const changed = new Promise<'changed'>((resolve) => (wake = () => resolve('changed')));
    this.waiters.add(wake);
    let onAbort!: () => void;
    const stopped = new Promise<'stopped'>((resolve) => {
      onAbort = () => resolve('stopped');
      signal.addEventListener('abort', onAbort, { once: true });
    });
    const racers: Promise<ChangeOutcome>[] = [changed, stopped];
    if (childExit) racers.push(childExit.then(() => 'child-exited' as const));
    try {
      return await Promise.race(racers);
    } finally {
      this.waiters.delete(wake);
      signal.removeEventListener('abort', onAbort);
    }
  }

  close(): void {
    this.closed = true;
    for (const w of this.watches.values()) w.close();
    this.watches.clear();
  }

  /** Subscriptions (and blocking reads) open now, by kind: for tests and the verbose log. */
  get open(): { streams: number; blocking: number } {
    let blocking = 0;
    for (const id of this.watches.keys()) if (id.startsWith('blocking\0')) blocking++;
    return { streams: this.watches.size - blocking, blocking };
  }

  private changed(): void {
    this.dirty = true;
    for (const w of this.waiters) w();
  }

  private streamWatch(t: DependencyTopic): Watch {
    const ctl = new AbortController();
    const { baseUrl, token, tls } = this.client.options;
    const events = subscribe({
      addr: baseUrl,
      topic: t.topic,
      ...(t.prefix !== undefined ? { prefix: t.prefix } : {}),
      ...(t.service !== undefined ? { service: t.service } : {}),
      ...(t.node !== undefined ? { node: t.node } : {}),
      ...(token ? { token } : {}),
      ...(tls ? { tls: { ...tls, ...(tls.ca ? { ca: [...tls.ca] } : {}) } } : {}),
      signal: ctl.signal,
    });
    void (async () => {
      // Snapshot items say nothing new; the end of a (fresh) snapshot, and every delta, do.
      try {
        for await (const ev of events) if (ev.type === 'snapshot-done' || (isDelta(ev) && concerns(t, ev))) this.changed();
      } catch (e) {
        if (ctl.signal.aborted) return;
        const why =
          e instanceof StreamRequestError && e.status === 404
            ? 'the agent has no /v1/stream'
            : e instanceof StreamDeniedError || e instanceof StreamRequestError
              ? e.message
              : String(e);
        this.warn(`[WARN] change stream ${t.id.replace(/\0/g, ' ')} unavailable (${why}); using blocking queries for it`);
        this.unstreamable.add(t.id);
        this.watches.delete(t.id);
        this.changed(); // the next rendering's track() follows these reads with blocking queries
      }
    })();
    return { close: () => ctl.abort() };
  }

  private blockingWatch(d: Dependency): Watch {
    const ctl = new AbortController();
    void (async () => {
      let index = d.index;
      while (!ctl.signal.aborted) {
        try {
          const r = await this.client.request('GET', d.path, {
            query: { ...d.query, index: String(index), wait: BLOCK_WAIT },
            allow404: true,
            signal: ctl.signal,
          });
          if (r.index !== index) {
            index = r.index;
            this.changed();
          }
        } catch {
          if (ctl.signal.aborted) return;
          // A failed read counts as a change: the next rendering reports the error.
          this.changed();
          await pause(RETRY_MS, ctl.signal);
        }
      }
    })();
    return { close: () => ctl.abort() };
  }
}

function isDelta(ev: StreamEvent<unknown>): ev is Extract<StreamEvent<unknown>, { type: 'upsert' | 'delete' }> {
  return (ev.type === 'upsert' && !ev.snapshot) || ev.type === 'delete';
}

/** `all` stands in for the node list: its KV items do not change what `nodes` returns. */
function concerns(t: DependencyTopic, ev: Extract<StreamEvent<unknown>, { type: 'upsert' | 'delete' }>): boolean {
  if (!t.nodesOnly) return true;
  if (ev.type === 'delete') return ev.key.startsWith('node/');
  return typeof (ev.item as AllEntry as { Node?: unknown }).Node === 'string';
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
