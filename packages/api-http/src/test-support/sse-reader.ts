import type { Readable } from 'node:stream';

export interface SseMessage {
  readonly event: string;
  readonly id: string | undefined;
  readonly data: unknown;
}

/**
 * Reads Server-Sent Events from a body stream into a queue; `next()` waits for the next one
 * (failing after `timeoutMs`), `ended` tells whether the server closed the stream.
 */
export class SseReader {
  private readonly queue: SseMessage[] = [];
  private waiters: (() => void)[] = [];
  private buf = '';
  ended = false;
  /** Comment lines seen (heartbeats). */
  comments = 0;

  constructor(readonly body: Readable) {
    body.setEncoding('utf8');
    body.on('data', (chunk: string) => this.feed(chunk));
    body.on('end', () => {
      this.ended = true;
      this.wake();
    });
  }

  private feed(chunk: string): void {
    this.buf += chunk;
    let i: number;
    while ((i = this.buf.indexOf('\n\n')) >= 0) {
      const block = this.buf.slice(0, i);
      this.buf = this.buf.slice(i + 2);
      let event = 'message';
      let id: string | undefined;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments++;
        else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('id: ')) id = line.slice(4);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length) this.queue.push({ event, id, data: JSON.parse(data.join('\n')) });
    }
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  async next(timeoutMs = 5_000): Promise<SseMessage> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length === 0) {
      if (this.ended) throw new Error('stream ended');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no event within ${timeoutMs} ms`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return this.queue.shift()!;
  }

  /** Events up to and including the next one of type `event`. */
  async until(event: string, timeoutMs = 5_000): Promise<SseMessage[]> {
    const out: SseMessage[] = [];
    for (;;) {
      const m = await this.next(timeoutMs);
      out.push(m);
      if (m.event === event) return out;
    }
  }

  /** Events already queued, without waiting. */
  drain(): SseMessage[] {
    return this.queue.splice(0);
  }
}
