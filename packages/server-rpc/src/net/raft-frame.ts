import { encodeFrame } from './framing.js';
import { encode } from './wire-codec.js';

/**
 * Encodings of frozen arrays already sent, by identity. A leader sends the same
 * AppendEntries entries to every follower at the same log position; raft hands them all
 * one frozen array (RaftStream's contract: frozen means immutable all the way down), so the
 * entries — nearly all of a frame's bytes — are encoded once instead of once per follower.
 * Weak: an array no longer referenced by raft drops its bytes with it.
 */
const encodedArrays = new WeakMap<readonly unknown[], Uint8Array>();

/** msgpack's map16 marker, which msgpackr always writes for a plain object (`useRecords: false`). */
const MAP16 = 0xde;

/**
 * The frame of a raft message (length prefix + msgpack), byte for byte what `encodeFrame`
 * makes, reusing the encoding of any frozen array among the message's own fields.
 * Anything else (no frozen array, not a plain object) goes through `encodeFrame` unchanged.
 */
export function encodeRaftFrame(message: unknown): Buffer {
  if (!hasFrozenArrayField(message)) return encodeFrame(message);
  // msgpackr writes a plain object as map16, then each own enumerable key and its value as
  // they would be encoded alone; so the same parts, concatenated, are the same bytes.
  const parts: Uint8Array[] = [];
  let size = 0;
  let count = 0;
  for (const key in message) {
    if (!Object.prototype.hasOwnProperty.call(message, key)) continue;
    const value = (message as Record<string, unknown>)[key];
    const k = encode(key);
    const v = Array.isArray(value) && Object.isFrozen(value) ? sharedEncoding(value) : encode(value);
    parts.push(k, v);
    size += k.length + v.length;
    count++;
  }
  if (count > 0xffff) return encodeFrame(message); // msgpackr refuses it too; let it say so
  const frame = Buffer.allocUnsafe(4 + 3 + size);
  frame.writeUInt32BE(3 + size, 0);
  frame[4] = MAP16;
  frame.writeUInt16BE(count, 5);
  let at = 7;
  for (const p of parts) {
    frame.set(p, at);
    at += p.length;
  }
  return frame;
}

function sharedEncoding(array: readonly unknown[]): Uint8Array {
  let bytes = encodedArrays.get(array);
  if (!bytes) {
    // A copy: msgpackr's result is a view of its shared output buffer.
    bytes = Uint8Array.prototype.slice.call(encode(array));
    encodedArrays.set(array, bytes);
  }
  return bytes;
}

function hasFrozenArrayField(message: unknown): message is object {
  if (typeof message !== 'object' || message === null || Object.getPrototypeOf(message) !== Object.prototype) return false;
  for (const key in message) {
    const value = (message as Record<string, unknown>)[key];
    if (Array.isArray(value) && value.length > 0 && Object.isFrozen(value)) return true;
  }
  return false;
}
