import { kvRow, ownString, packValue, type KvRow } from './kv-row.js';
import { SnapshotInvalid } from './state-errors.js';

/**
 * A KV row's snapshot record, msgpack `['K', Key, Value, Flags, Session, LockIndex,
 * CreateIndex, ModifyIndex]` with Value as bin or nil. KV rows are most of a big store, so
 * they are written straight from the row into the frame buffer: no DirEntry, no value
 * bytes and no per-record buffer in between. At 1M keys of 100 B that took a snapshot
 * from ~2.7 µs of CPU per key (DirEntry + msgpackr per record) to well under one, and
 * field names no longer repeat in every record. Any msgpack reader decodes it.
 */
export type KvRecord = ['K', string, Uint8Array | null, number, string, number, number, number];

const UTF8_MAX_PER_CHAR = 3;

/** Bytes {@link encodeKvRecord} may write for `row`, at most. */
export function kvRecordBound(row: KvRow): number {
  const stored = row.stored;
  const value = stored === null ? 0 : stored.length; // a latin1 string holds one byte per char
  return 64 + UTF8_MAX_PER_CHAR * (row.Key.length + row.Session.length) + value;
}

/** Encode `row` at `pos` (the caller made room for {@link kvRecordBound}); returns the end. */
export function encodeKvRecord(buf: Buffer, pos: number, row: KvRow): number {
  buf[pos++] = 0x98; // fixarray of 8
  buf[pos++] = 0xa1; // fixstr of 1
  buf[pos++] = 0x4b; // 'K'
  pos = writeStr(buf, pos, row.Key);
  const stored = row.stored;
  if (stored === null) buf[pos++] = 0xc0;
  else {
    pos = writeHead(buf, pos, stored.length, 0xc4, 0xc5, 0xc6);
    pos += typeof stored === 'string' ? buf.write(stored, pos, 'latin1') : (buf.set(stored, pos), stored.length);
  }
  pos = writeUint(buf, pos, row.Flags);
  pos = writeStr(buf, pos, row.Session);
  pos = writeUint(buf, pos, row.LockIndex);
  pos = writeUint(buf, pos, row.CreateIndex);
  return writeUint(buf, pos, row.ModifyIndex);
}

/** The row a decoded `K` record stands for; STATE_SNAPSHOT_INVALID when a field has the wrong type. */
export function kvRowFromRecord(rec: unknown[]): KvRow {
  const [, key, value, flags, session, lockIndex, createIndex, modifyIndex] = rec;
  if (
    rec.length !== 8 ||
    typeof key !== 'string' ||
    !(value === null || value instanceof Uint8Array) ||
    typeof session !== 'string' ||
    !isCount(flags) ||
    !isCount(lockIndex) ||
    !isCount(createIndex) ||
    !isCount(modifyIndex)
  ) {
    throw SnapshotInvalid('malformed "K" record');
  }
  return kvRow(ownString(key), packValue(value), flags, ownString(session), lockIndex, createIndex, modifyIndex);
}

function isCount(n: unknown): n is number {
  return typeof n === 'number' && n >= 0;
}

/** Strings up to this many chars are tried as ASCII in JS first (see writeStr). */
const ASCII_FAST_MAX = 64;

function writeStr(buf: Buffer, pos: number, s: string): number {
  // Keys are short and nearly always ASCII: copying their chars here skips the two native
  // calls below (byteLength, write), which were ~0.4 s of a 1M-key snapshot's ~1.1 s.
  if (s.length < ASCII_FAST_MAX) {
    const end = writeAscii(buf, pos + (s.length < 32 ? 1 : 2), s);
    if (end >= 0) {
      if (s.length < 32) buf[pos] = 0xa0 | s.length;
      else writeHead(buf, pos, s.length, 0xd9, 0xda, 0xdb); // str8 here: the two bytes left before the chars
      return end;
    }
  }
  const n = Buffer.byteLength(s, 'utf8');
  if (n < 32) buf[pos++] = 0xa0 | n;
  else pos = writeHead(buf, pos, n, 0xd9, 0xda, 0xdb);
  return pos + buf.write(s, pos, 'utf8');
}

/** `s` at `at` when every char is ASCII (one byte each); -1 otherwise, whatever was written. */
function writeAscii(buf: Buffer, at: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return -1;
    buf[at + i] = c;
  }
  return at + s.length;
}

/** A str or bin header with an 8-, 16- or 32-bit length. */
function writeHead(buf: Buffer, pos: number, n: number, c8: number, c16: number, c32: number): number {
  if (n < 0x100) {
    buf[pos] = c8;
    buf[pos + 1] = n;
    return pos + 2;
  }
  if (n < 0x10000) {
    buf[pos] = c16;
    buf.writeUInt16BE(n, pos + 1);
    return pos + 3;
  }
  buf[pos] = c32;
  buf.writeUInt32BE(n, pos + 1);
  return pos + 5;
}

/** A non-negative integer in its smallest form; anything else (past 32 bits) as float64, which is exactly the JS number. */
function writeUint(buf: Buffer, pos: number, n: number): number {
  if (!Number.isInteger(n) || n < 0 || n >= 0x100000000) {
    buf[pos] = 0xcb;
    buf.writeDoubleBE(n, pos + 1);
    return pos + 9;
  }
  if (n < 0x80) {
    buf[pos] = n;
    return pos + 1;
  }
  if (n < 0x100) {
    buf[pos] = 0xcc;
    buf[pos + 1] = n;
    return pos + 2;
  }
  if (n < 0x10000) {
    buf[pos] = 0xcd;
    buf.writeUInt16BE(n, pos + 1);
    return pos + 3;
  }
  buf[pos] = 0xce;
  buf.writeUInt32BE(n, pos + 1);
  return pos + 5;
}
