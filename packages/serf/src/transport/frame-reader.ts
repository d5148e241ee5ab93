/**
 * Length-prefixed framing for the TCP path: [u32 big-endian length][payload]. Each
 * connection carries one request frame and one response frame.
 */
export const MAX_FRAME = 16 * 1024 * 1024;

export function frame(payload: Uint8Array): Buffer {
  const h = Buffer.allocUnsafe(4);
  h.writeUInt32BE(payload.length, 0);
  return Buffer.concat([h, payload]);
}

/** Accumulates chunks until one whole frame is present; throws on an oversize length. */
export class FrameReader {
  private chunks: Buffer[] = [];
  private size = 0;

  push(chunk: Buffer): Buffer | undefined {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size < 4) return undefined;
    const all = Buffer.concat(this.chunks);
    this.chunks = [all];
    const len = all.readUInt32BE(0);
    if (len > MAX_FRAME) throw new Error(`frame of ${len} bytes exceeds ${MAX_FRAME}`);
    if (all.length < 4 + len) return undefined;
    return all.subarray(4, 4 + len);
  }
}
