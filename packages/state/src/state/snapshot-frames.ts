import { Packr } from 'msgpackr';
import { encodeKvRecord, kvRecordBound } from './kv-record-codec.js';
import type { KvRow } from './kv-row.js';
import { SnapshotInvalid } from './state-errors.js';

/**
 * Snapshot byte stream: a sequence of frames, each a 4-byte big-endian length followed
 * by one msgpack array of records. Length prefixes make restore independent of how the
 * transport re-chunks the bytes.
 * copyBuffers: restored values must not pin the 64 KiB frame they came from.
 */
const packr = new Packr({ useRecords: false, mapsAsObjects: true, variableMapSize: true, copyBuffers: true });

/** Target frame size: big enough to amortize per-chunk overhead, small enough to bound memory. */
export const FRAME_TARGET_BYTES = 64 * 1024;

/** Refuse absurd frame lengths early instead of buffering a corrupt stream forever. */
const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** Packs records one by one into a growing buffer; `flush()` returns one finished frame. */
export class FrameWriter {
  private buf = Buffer.allocUnsafe(FRAME_TARGET_BYTES * 2);
  private pos = 9; // 4 bytes length + 5 bytes msgpack array32 header
  private count = 0;

  get bytes(): number {
    return this.pos - 9;
  }

  add(record: unknown): void {
    const packed = packr.pack(record);
    this.reserve(packed.length);
    packed.copy(this.buf, this.pos);
    this.pos += packed.length;
    this.count++;
  }

  /** A KV row's record, encoded in place (see kv-record-codec.ts). */
  addKv(row: KvRow): void {
    this.reserve(kvRecordBound(row));
    this.pos = encodeKvRecord(this.buf, this.pos, row);
    this.count++;
  }

  private reserve(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  /** The frame (a fresh buffer the caller owns), or undefined when empty. */
  flush(): Uint8Array | undefined {
    if (this.count === 0) return undefined;
    const frame = Buffer.allocUnsafe(this.pos);
    this.buf.copy(frame, 0, 0, this.pos);
    frame.writeUInt32BE(this.pos - 4, 0);
    frame[4] = 0xdd; // msgpack array32
    frame.writeUInt32BE(this.count, 5);
    this.pos = 9;
    this.count = 0;
    return frame;
  }
}

/** Reassembles frames from arbitrarily split chunks; yields each frame's decoded record array. */
export async function* readFrames(source: AsyncIterable<Uint8Array>): AsyncGenerator<unknown[]> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of source) {
    pending =
      pending.length === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([pending, chunk]);
    while (pending.length >= 4) {
      const len = pending.readUInt32BE(0);
      if (len > MAX_FRAME_BYTES) throw SnapshotInvalid(`frame of ${len} bytes`);
      if (pending.length < 4 + len) break;
      const body = pending.subarray(4, 4 + len);
      pending = pending.subarray(4 + len);
      let records: unknown;
      try {
        records = packr.unpack(body);
      } catch (err) {
        throw SnapshotInvalid(`undecodable frame (${(err as Error).message})`);
      }
      if (!Array.isArray(records)) throw SnapshotInvalid('frame is not an array');
      yield records;
    }
  }
  if (pending.length > 0) throw SnapshotInvalid(`stream ends inside a frame (${pending.length} bytes left)`);
}
