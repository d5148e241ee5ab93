import type { DirEntry } from '@proconsul/kernel';

/**
 * Values up to this many bytes are held as a one-byte (latin1) string, one char per byte.
 * A Uint8Array costs ~190 B of V8 heap (the typed array and its ArrayBuffer) plus its own
 * malloc'd backing store: ~530 B of RSS beyond the bytes for a 100-byte value, and churn
 * leaves native memory fragmented. A one-byte string costs its bytes plus a 16-byte header
 * and the GC owns it, but old-space RSS runs ~1.4× the live heap, so the saving shrinks as
 * values grow: measured per value (node 20, 100 MB of values kept), 100 B saves ~370 B of
 * RSS, 512 B ~160 B, 1 KiB ~110 B, and 2 KiB costs ~360 B more. Every read also copies a
 * string value out again, so larger values stay as bytes.
 */
export const INLINE_VALUE_MAX = 1024;

/** A stored value: latin1 string (≤ {@link INLINE_VALUE_MAX} bytes), owned bytes, or none. */
export type StoredValue = string | Uint8Array | null;

/**
 * A KV entry as the store holds it: {@link DirEntry}'s fields, with the value in its compact
 * form. Rows are immutable and internal to the state package; readers get DirEntry objects
 * from {@link toDirEntry}. Make them with {@link kvRow}.
 */
export interface KvRow {
  readonly Key: string;
  readonly stored: StoredValue;
  readonly Flags: number;
  readonly Session: string;
  readonly LockIndex: number;
  readonly CreateIndex: number;
  readonly ModifyIndex: number;
}

class FullRow implements KvRow {
  constructor(
    readonly Key: string,
    readonly stored: StoredValue,
    readonly Flags: number,
    readonly Session: string,
    readonly LockIndex: number,
    readonly CreateIndex: number,
    readonly ModifyIndex: number,
  ) {}
}

/**
 * Most keys never carry flags or a lock: their row holds four fields instead of seven,
 * 24 B less per key (8 B a field: Node's V8 does not compress pointers).
 */
class PlainRow implements KvRow {
  constructor(
    readonly Key: string,
    readonly stored: StoredValue,
    readonly CreateIndex: number,
    readonly ModifyIndex: number,
  ) {}
  get Flags(): number {
    return 0;
  }
  get Session(): string {
    return '';
  }
  get LockIndex(): number {
    return 0;
  }
}

/** A row; `key` and `session` must already be strings of their own ({@link ownString}). */
export function kvRow(
  key: string,
  stored: StoredValue,
  flags: number,
  session: string,
  lockIndex: number,
  createIndex: number,
  modifyIndex: number,
): KvRow {
  if (flags === 0 && session === '' && lockIndex === 0) return new PlainRow(key, stored, createIndex, modifyIndex);
  return new FullRow(key, stored, flags, session, lockIndex, createIndex, modifyIndex);
}

/** The row for a DirEntry from a snapshot. */
export function rowFromEntry(e: DirEntry): KvRow {
  return kvRow(ownString(e.Key), packValue(e.Value), e.Flags, ownString(e.Session), e.LockIndex, e.CreateIndex, e.ModifyIndex);
}

/**
 * `s` as a string of its own. msgpackr decodes the strings of a message as slices of one
 * string holding all of them (a whole transaction, or a 64 KiB snapshot frame), and a slice
 * keeps that parent alive: a stored key or session ID must not. V8 slices only strings of 13 chars or more.
 */
export function ownString(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/**
 * The compact form of `value`. Never keeps the caller's array: a decoder may hand out views
 * into a whole log entry or snapshot frame, and a stored value must not pin it.
 */
export function packValue(value: Uint8Array | null): StoredValue {
  if (value === null) return null;
  const buf = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (value.byteLength <= INLINE_VALUE_MAX) return buf.toString('latin1');
  return new Uint8Array(buf); // an exact-size copy with its own ArrayBuffer
}

/**
 * The bytes of a stored value. A small value is materialised afresh on each call (so a
 * reader may even mutate it); a large one is the stored array itself, which no one mutates.
 */
export function unpackValue(stored: StoredValue): Uint8Array | null {
  if (typeof stored !== 'string') return stored;
  // Small Buffers come from Node's shared pool: no ArrayBuffer of its own per read. A plain
  // Uint8Array view keeps DirEntry.Value's type exact for deep-equality and codecs.
  const buf = Buffer.from(stored, 'latin1');
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** The row as Consul's DirEntry; `withValue: false` gives the `Value: null` txn writes echo. */
export function toDirEntry(row: KvRow, withValue = true): DirEntry {
  return {
    Key: row.Key,
    Value: withValue ? unpackValue(row.stored) : null,
    Flags: row.Flags,
    Session: row.Session,
    LockIndex: row.LockIndex,
    CreateIndex: row.CreateIndex,
    ModifyIndex: row.ModifyIndex,
  };
}
