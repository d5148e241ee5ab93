import { Packr } from 'msgpackr';

/**
 * One msgpack codec for everything raft writes to disk or the wire. Records/structures
 * are off so every encoded value is self-describing (a restarted process or another
 * server can decode it without shared state).
 */
const packr = new Packr({ useRecords: false, mapsAsObjects: true });

export function encode(value: unknown): Uint8Array {
  return packr.pack(value);
}

export function decode<T>(bytes: Uint8Array): T {
  return packr.unpack(bytes) as T;
}

/** Decode a concatenation of msgpack values. */
export function decodeMultiple(bytes: Uint8Array): unknown[] {
  return packr.unpackMultiple(bytes) as unknown[];
}

/** Big-endian uint64 key so keys sort by index in memcmp order. */
export function indexKey(prefix: number, index: number): Uint8Array {
  const key = new Uint8Array(9);
  key[0] = prefix;
  new DataView(key.buffer).setBigUint64(1, BigInt(index));
  return key;
}

export function keyIndex(key: Uint8Array): number {
  return Number(new DataView(key.buffer, key.byteOffset, key.byteLength).getBigUint64(1));
}

export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}
