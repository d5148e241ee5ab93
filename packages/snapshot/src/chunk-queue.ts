/**
 * Hands chunks from RPC calls to a streaming parser, one at a time: `push` resolves once the
 * parser has taken the chunk, so an uploader can never run ahead by more than one chunk.
 */
export class ChunkQueue implements AsyncIterable<Uint8Array> {
  private readonly items: { data: Uint8Array; taken: () => void }[] = [];
  private ended = false;
  private wake: (() => void) | undefined;

  push(data: Uint8Array): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((taken) => {
      this.items.push({ data, taken });
      this.wake?.();
    });
  }

  /** No more chunks: the parser sees the end of the stream. Pending pushes are released. */
  end(): void {
    this.ended = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    try {
      for (;;) {
        const item = this.items.shift();
        if (item) {
          item.taken();
          yield item.data;
          continue;
        }
        if (this.ended) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
      }
    } finally {
      // The parser stopped (error or done): nobody will take what is left.
      this.ended = true;
      for (const item of this.items.splice(0)) item.taken();
    }
  }
}
