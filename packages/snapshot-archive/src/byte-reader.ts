/** Pull exact byte counts out of a chunked stream (chunks may split anything anywhere). */
export class ByteReader {
  private buf: Buffer = Buffer.alloc(0);
  private readonly it: AsyncIterator<Uint8Array>;
  private ended = false;
  /** Bytes handed out by `take` so far. */
  consumed = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.it = source[Symbol.asyncIterator]();
  }

  /** True when at least `n` bytes are buffered; false when the stream ended first. */
  async fill(n: number): Promise<boolean> {
    while (this.buf.length < n && !this.ended) {
      const r = await this.it.next();
      if (r.done) {
        this.ended = true;
        break;
      }
      const c = Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
      this.buf = this.buf.length === 0 ? c : Buffer.concat([this.buf, c]);
    }
    return this.buf.length >= n;
  }

  /** The next `n` bytes; call `fill(n)` first. The returned buffer may share memory with the source's chunks. */
  take(n: number): Buffer {
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    this.consumed += n;
    return out;
  }

  /** Look at the next `n` buffered bytes without consuming them. */
  buffered(n: number): Buffer {
    return this.buf.subarray(0, n);
  }

  /** Whatever is left after the stream ended (call after `fill` returned false or at the end). */
  async rest(): Promise<number> {
    while (!this.ended) await this.fill(this.buf.length + 1);
    return this.buf.length;
  }

  /** Stop reading the source early (its producer may hold resources). */
  async close(): Promise<void> {
    if (!this.ended) await this.it.return?.();
    this.ended = true;
  }
}
