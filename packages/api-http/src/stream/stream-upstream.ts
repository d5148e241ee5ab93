import type { Authorization, Authorizer, ClusterRpcPort, Logger } from '@proconsul/kernel';
import { batchOf, deletedJson, itemJson, sseEvent, type StreamBatch, type StreamEvent } from './stream-event.js';
import type { StreamTopic } from './stream-topic.js';
import type { StreamTuning } from './stream-tuning.js';
import type { SnapshotSource, SseSubscriber } from './sse-subscriber.js';

interface Item {
  readonly json: string;
}

/**
 * One blocking-read loop shared by every local subscriber of the same topic and token: it
 * diffs consecutive answers of the read into upsert/delete batches, keeps the recent batches
 * for resumes, and fans them out. On a client agent this is the one upstream the brief
 * calls for; on a server the reads are stale (served from this server's own replica).
 * Changes that land between two reads of the loop are coalesced, as with any blocking query.
 */
export class StreamUpstream implements SnapshotSource {
  private items = new Map<string, Item>();
  /** The current items rendered as snapshot events, built on first need after a change. */
  private snapshotText: string | undefined;
  private index = 0;
  private ready = false;
  /** Every change after `replayFrom - 1` is in `history` (batches at index ≥ a resume id are replayed). */
  private replayFrom = 0;
  private history: StreamBatch[] = [];
  private historyEvents = 0;
  private historyBytes = 0;
  private readonly subscribers = new Set<SseSubscriber>();
  /** Subscribers attached before the first read answered, with their resume index. */
  private readonly waiting = new Map<SseSubscriber, number | undefined>();
  private readonly stop = new AbortController();
  private lingerTimer: NodeJS.Timeout | undefined;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly topic: StreamTopic,
    private readonly token: string | undefined,
    private readonly deps: { readonly rpc: ClusterRpcPort; readonly authorizer: Authorizer; readonly log: Logger },
    private readonly tuning: StreamTuning,
    private readonly onStopped: () => void,
  ) {
    this.heartbeat = setInterval(() => this.subscribers.forEach((s) => s.heartbeat()), tuning.heartbeatMs);
    this.heartbeat.unref();
    void this.loop();
  }

  get stopped(): boolean {
    return this.stop.signal.aborted;
  }

  current(): { index: number; text: string } | undefined {
    if (!this.ready) return undefined;
    if (this.snapshotText === undefined) {
      let text = '';
      for (const it of this.items.values()) text += sseEvent('upsert', it.json);
      this.snapshotText = text;
    }
    return { index: this.index, text: this.snapshotText };
  }

  /**
   * Adds a subscriber: with a resume index it gets every batch since (or `snapshot-required`
   * and a snapshot when the history does not reach back that far), otherwise a snapshot. Before
   * the first read completes, the snapshot follows when it does.
   */
  attach(sub: SseSubscriber, resumeFrom: number | undefined, signal: AbortSignal): void {
    clearTimeout(this.lingerTimer);
    this.subscribers.add(sub);
    const detach = () => {
      this.subscribers.delete(sub);
      this.waiting.delete(sub);
      sub.end();
      if (this.subscribers.size === 0) this.linger();
    };
    signal.addEventListener('abort', detach, { once: true });
    sub.out.on('close', detach);
    if (this.ready) this.greet(sub, resumeFrom);
    else this.waiting.set(sub, resumeFrom);
  }

  private greet(sub: SseSubscriber, resumeFrom: number | undefined): void {
    if (resumeFrom === undefined) return sub.snapshot();
    if (resumeFrom < this.replayFrom || resumeFrom > this.index) return sub.snapshot('snapshot-required');
    for (const b of this.history) if (b.index >= resumeFrom) sub.batch(b);
  }

  private linger(): void {
    clearTimeout(this.lingerTimer);
    this.lingerTimer = setTimeout(() => {
      if (this.subscribers.size === 0) this.close();
    }, this.tuning.lingerMs);
    this.lingerTimer.unref();
  }

  /** Ends every subscriber (with a last event, if given) and the loop. */
  close(event?: string, data?: unknown): void {
    if (this.stopped) return;
    this.stop.abort();
    clearInterval(this.heartbeat);
    clearTimeout(this.lingerTimer);
    for (const s of this.subscribers) s.end(event, data);
    this.subscribers.clear();
    this.onStopped();
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        const authz = await this.deps.authorizer.resolve(this.token);
        if (!this.topic.permitted(authz)) return this.deny('the token lost the right to read this topic');
        const r = await this.deps.rpc.read<unknown>(
          this.topic.query,
          this.topic.args,
          { minIndex: this.index, maxWaitMs: this.tuning.recheckMs, allowStale: true, requireConsistent: false, maxStaleMs: 0 },
          { token: this.token },
          this.stop.signal,
        );
        if (this.stopped) return;
        this.apply(r.meta.index, this.topic.items(r.value, authz as Authorization));
        failures = 0;
      } catch (e) {
        if (this.stopped) return;
        if ((e as { statusCode?: number }).statusCode === 403) return this.deny((e as Error).message);
        failures++;
        // Nobody listening and the read keeps failing (agent stopping, no servers): give up.
        if (this.subscribers.size === 0 && failures > 1) return this.close();
        this.deps.log.warn(`stream ${this.topic.key.replace(/\0/g, ' ')}: read failed, retrying: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, Math.min(5_000, 250 * 2 ** failures)).unref());
      }
    }
  }

  private deny(reason: string): void {
    this.close('acl-denied', { Reason: reason });
  }

  private apply(index: number, next: Map<string, unknown>): void {
    const nextItems = new Map<string, Item>();
    for (const [k, data] of next) nextItems.set(k, { json: itemJson(data) });
    if (!this.ready || index < this.index) {
      // First answer, or the index went backwards (a restored snapshot): history is void.
      const first = !this.ready;
      this.items = nextItems;
      this.snapshotText = undefined;
      this.index = index;
      this.replayFrom = index;
      this.history = [];
      this.historyEvents = 0;
      this.historyBytes = 0;
      this.ready = true;
      if (first) for (const [s, resumeFrom] of this.waiting) this.greet(s, resumeFrom);
      else for (const s of this.subscribers) s.snapshot('snapshot-required');
      this.waiting.clear();
      return;
    }
    const events: StreamEvent[] = [];
    for (const [k, it] of nextItems) {
      const old = this.items.get(k);
      if (!old || old.json !== it.json) events.push({ type: 'upsert', key: k, json: it.json });
    }
    for (const k of this.items.keys()) if (!nextItems.has(k)) events.push({ type: 'delete', key: k, json: deletedJson(k) });
    this.items = nextItems;
    if (events.length) this.snapshotText = undefined;
    this.index = index;
    if (events.length === 0) return;
    events.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const batch = batchOf(index, events);
    this.history.push(batch);
    this.historyEvents += events.length;
    this.historyBytes += batch.text.length;
    while (
      (this.historyEvents > this.tuning.historyEvents || this.historyBytes > this.tuning.historyBytes) &&
      this.history.length > 0
    ) {
      const dropped = this.history.shift()!;
      this.historyEvents -= dropped.events.length;
      this.historyBytes -= dropped.text.length;
      this.replayFrom = dropped.index + 1;
    }
    for (const s of this.subscribers) s.batch(batch);
  }
}
