import type { NormalizedRange } from '@proconsul/collections';
import type { IteratorOptions } from './rocks-binding.js';

/**
 * Every RocksDB key starts with a namespace byte so the store's own metadata (the format
 * marker) never shows up in a caller's scans and callers may use any key, even the empty
 * one (which RocksDB's binding would reject).
 */
const META = 0x00;
const DATA = 0x01;

/** Key of the format marker written when a store is created and checked on every open. */
export const FORMAT_KEY = Buffer.from([META, ...Buffer.from('proconsul.format')]);
/**
 * Deleted by a synced one-op batch when a durable write ends with a range delete (whose own
 * writes are unsynced): the fsync of that batch's WAL record covers every record before it.
 */
export const SYNC_MARK_KEY = Buffer.from([META, ...Buffer.from('proconsul.sync')]);
/** Bump when the on-disk layout changes incompatibly; older code then refuses the directory. */
export const FORMAT_VERSION = 'proconsul-kv/1';

export function dataKey(key: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(key.length + 1);
  out[0] = DATA;
  out.set(key, 1);
  return out;
}

/** The caller's key from a RocksDB data key; shares memory with `dbKey`. */
export function userKey(dbKey: Buffer): Buffer {
  return dbKey.subarray(1);
}

/** Zero-copy Buffer view of a caller's value (the store owns it once written). */
export function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/** Binding iterator bounds for a normalized caller range, confined to the data namespace. */
export function dataBounds(r: NormalizedRange): IteratorOptions {
  const o: IteratorOptions = { reverse: r.reverse };
  if (r.lower) o[r.lower.inclusive ? 'gte' : 'gt'] = dataKey(r.lower.key);
  else o.gte = Buffer.from([DATA]);
  if (r.upper) o[r.upper.inclusive ? 'lte' : 'lt'] = dataKey(r.upper.key);
  else o.lt = Buffer.from([DATA + 1]);
  if (Number.isFinite(r.limit)) o.limit = r.limit;
  return o;
}

/** The whole data namespace, for snapshot iterators that serve arbitrary ranges by seeking. */
export function wholeDataSpace(reverse: boolean): IteratorOptions {
  return { gte: Buffer.from([DATA]), lt: Buffer.from([DATA + 1]), reverse };
}
