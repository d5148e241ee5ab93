import { PassThrough } from 'node:stream';
import { sseEvent, type StreamBatch } from './stream-event.js';

/** What a subscriber needs from its upstream to catch up after lagging. */
export interface SnapshotSource {
  /** The current items as `upsert` events (no ids) and their index; undefined before the first read. */
  current(): { readonly index: number; readonly text: string } | undefined;
}

/**
 * One client's SSE body. Writes never wait: past `maxBufferedBytes` of unsent output the
 * subscriber is lagged, deltas are dropped, and once the client has drained its backlog it
 * gets a `lagged` event and a fresh snapshot. Memory per subscriber is therefore bounded by
 * the limit plus one snapshot.
 */
export class SseSubscriber {
  readonly out = new PassThrough({ highWaterMark: 16 * 1024 });
  private lagged = false;
  private closed = false;

  constructor(
    private readonly source: SnapshotSource,
    private readonly maxBufferedBytes: number,
  ) {
    this.out.write('retry: 1000\n\n'); // flushes the headers at once; reconnect soon after a drop
    this.out.on('close', () => (this.closed = true));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  snapshot(reason?: 'snapshot-required' | 'lagged'): void {
    const cur = this.source.current();
    if (!cur) return;
    const marker = JSON.stringify({ Index: cur.index });
    const text = (reason ? sseEvent(reason, marker) : '') + cur.text + sseEvent('snapshot-done', marker, cur.index);
    this.write(text, true);
  }

  batch(b: StreamBatch): void {
    this.write(b.text);
  }

  heartbeat(): void {
    this.write(': heartbeat\n\n');
  }

  /** Ends the stream, after a last event when there is one (`acl-denied`). */
  end(event?: string, data?: unknown): void {
    if (this.closed) return;
    this.closed = true;
    if (event) this.out.end(sseEvent(event, JSON.stringify(data ?? {})));
    else this.out.end();
  }

  private write(text: string, force = false): void {
    if (this.closed || (this.lagged && !force)) return;
    if (!force && this.out.writableLength > this.maxBufferedBytes) {
      this.lagged = true;
      if (!this.out.writableNeedDrain) return void setImmediate(() => this.recover());
      this.out.once('drain', () => this.recover());
      return;
    }
    this.out.write(text);
  }

  private recover(): void {
    this.lagged = false;
    this.snapshot('lagged');
  }
}
