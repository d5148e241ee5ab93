import { DEFAULT_OUTPUT_MAX_SIZE } from '@proconsul/agent';

/**
 * Keeps the last `size` bytes written (a script's final lines say why it failed), counting
 * everything written, like Consul's circular buffer for script output.
 * Owns its chunks: callers may reuse the buffers they pass to `write`.
 */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private held = 0;
  private total = 0;

  constructor(private readonly size = DEFAULT_OUTPUT_MAX_SIZE) {}

  write(chunk: Buffer): void {
    this.total += chunk.length;
    const copy = Buffer.from(chunk.length > this.size ? chunk.subarray(chunk.length - this.size) : chunk);
    this.chunks.push(copy);
    this.held += copy.length;
    while (this.held - this.chunks[0]!.length >= this.size) this.held -= this.chunks.shift()!.length;
  }

  get totalWritten(): number {
    return this.total;
  }

  /** The kept bytes as text, prefixed with Consul's "Captured N of M bytes" note when cut. */
  toString(): string {
    const all = Buffer.concat(this.chunks);
    const kept = all.length > this.size ? all.subarray(all.length - this.size) : all;
    const text = kept.toString('utf8');
    return this.total > kept.length ? `Captured ${kept.length} of ${this.total} bytes\n...\n${text}` : text;
  }
}
