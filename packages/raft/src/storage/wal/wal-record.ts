import { crc32 } from 'node:zlib';
import type { LogEntry } from '../../core/messages.js';
import { decode, encode } from '../codec.js';

/** Frame header: payload length (u32 LE) + CRC-32 of the payload (u32 LE). */
export const HEADER_BYTES = 8;
/** Far above any raft entry (a request is capped well below): a larger length is garbage. */
const MAX_PAYLOAD = 256 * 1024 * 1024;

interface StoredEntry {
  i: number;
  t: number;
  k: LogEntry['kind'];
  d?: Uint8Array;
  c?: LogEntry['config'];
}

/** One entry as a framed record; the index is inside, so a record out of place is detected. */
export function encodeRecord(e: LogEntry): Buffer {
  const s: StoredEntry = { i: e.index, t: e.term, k: e.kind };
  if (e.data) s.d = e.data;
  if (e.config) s.c = e.config;
  const payload = encode(s);
  const out = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(crc32(payload), 4);
  out.set(payload, HEADER_BYTES);
  return out;
}

/** What scanning one segment found. */
export interface SegmentScan {
  readonly entries: LogEntry[];
  /** Start offset of each entry's record. */
  readonly offsets: number[];
  /** Where the valid records end. */
  readonly validEnd: number;
  /** Why scanning stopped before the end of the file, if it did. */
  readonly problem?: string;
  /** A valid record of a later index follows the bad one: damage inside written data, not a torn write. */
  readonly validAfterProblem: boolean;
}

type Parsed = { entry: LogEntry; end: number } | { error: string; end?: number };

function parseAt(buf: Buffer, offset: number, expectIndex: number | undefined, minTerm: number): Parsed {
  if (buf.length - offset < HEADER_BYTES) return { error: 'truncated record header' };
  const len = buf.readUInt32LE(offset);
  if (len === 0 || len > MAX_PAYLOAD) return { error: `implausible record length ${len}` };
  const end = offset + HEADER_BYTES + len;
  if (end > buf.length) return { error: 'record runs past the end of the file' };
  const payload = buf.subarray(offset + HEADER_BYTES, end);
  if (crc32(payload) !== buf.readUInt32LE(offset + 4)) return { error: 'CRC mismatch', end };
  let s: StoredEntry;
  try {
    s = decode<StoredEntry>(payload);
  } catch {
    return { error: 'undecodable record', end };
  }
  if (expectIndex === undefined ? !(s.i > 0) : s.i !== expectIndex)
    return { error: `record holds index ${s.i}, expected ${expectIndex}`, end };
  // Raft terms never decrease along a log: a decrease is an old record showing through.
  if (!(s.t >= minTerm)) return { error: `term ${s.t} below the previous entry's ${minTerm}`, end };
  const entry: LogEntry = { index: s.i, term: s.t, kind: s.k, ...(s.d ? { data: s.d } : {}), ...(s.c ? { config: s.c } : {}) };
  return { entry, end };
}

/**
 * Decode the records of a segment whose first entry is `base`, stopping at the first one
 * that is torn, fails its CRC, or does not continue the log.
 */
export function scanSegment(buf: Buffer, base: number, minTerm: number): SegmentScan {
  const entries: LogEntry[] = [];
  const offsets: number[] = [];
  let offset = 0;
  let term = minTerm;
  while (offset < buf.length) {
    const r = parseAt(buf, offset, base + entries.length, term);
    if ('error' in r) {
      const validAfterProblem = laterRecordAfter(buf, offset + 1, base + entries.length);
      return { entries, offsets, validEnd: offset, problem: `${r.error} at offset ${offset}`, validAfterProblem };
    }
    offsets.push(offset);
    entries.push(r.entry);
    term = r.entry.term;
    offset = r.end;
  }
  return { entries, offsets, validEnd: offset, validAfterProblem: false };
}

/**
 * Is there a valid record of an index above `badIndex` anywhere from `from` on? A crash
 * mid-write tears only the end of the last write, so finding one means the bad bytes are
 * inside data written (and fsync'd) before: corruption, which must not be cut silently.
 * Only runs when a segment is damaged; a random match needs a CRC-32 collision.
 */
function laterRecordAfter(buf: Buffer, from: number, badIndex: number): boolean {
  for (let at = from; at + HEADER_BYTES < buf.length; at++) {
    const r = parseAt(buf, at, undefined, 0);
    if (!('error' in r) && r.entry.index > badIndex) return true;
  }
  return false;
}
