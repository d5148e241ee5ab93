import type { RangeOptions } from '@proconsul/kernel';
import { compareBytes, type KeyRange } from './sorted-map.js';

/** One end of a byte-key range. */
export interface ByteBound {
  readonly key: Uint8Array;
  readonly inclusive: boolean;
}

/**
 * A {@link RangeOptions} reduced to at most one lower and one upper bound, so engines
 * need not reason about prefix/gt/gte interplay themselves.
 */
export interface NormalizedRange {
  readonly lower?: ByteBound;
  readonly upper?: ByteBound;
  readonly reverse: boolean;
  /** Infinity when unlimited. */
  readonly limit: number;
  /** True when no key can satisfy the bounds (or limit is 0): engines may skip the scan. */
  readonly empty: boolean;
}

/**
 * The smallest key greater than every key starting with `prefix`, or undefined when no
 * such key exists (empty prefix or all 0xff bytes: the range is open above).
 */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i]! !== 0xff) {
      // A copy even when prefix is a Buffer (whose slice() would alias the caller's bytes).
      const end = new Uint8Array(prefix.subarray(0, i + 1));
      end[i]!++;
      return end;
    }
  }
  return undefined;
}

export function normalizeRange(range: RangeOptions = {}): NormalizedRange {
  let lower = pick(undefined, range.gte, true, 1);
  lower = pick(lower, range.gt, false, 1);
  let upper = pick(undefined, range.lte, true, -1);
  upper = pick(upper, range.lt, false, -1);
  if (range.prefix !== undefined) {
    lower = pick(lower, range.prefix, true, 1);
    const end = prefixEnd(range.prefix);
    if (end) upper = pick(upper, end, false, -1);
  }
  const limit = range.limit === undefined || range.limit < 0 ? Infinity : Math.floor(range.limit);
  let empty = limit === 0;
  if (lower && upper) {
    const c = compareBytes(lower.key, upper.key);
    empty ||= c > 0 || (c === 0 && !(lower.inclusive && upper.inclusive));
  }
  return { lower, upper, reverse: range.reverse === true, limit, empty };
}

/** The bounds as a {@link KeyRange} for SortedMap. */
export function toKeyRange(r: NormalizedRange): KeyRange<Uint8Array> {
  const out: KeyRange<Uint8Array> = { reverse: r.reverse };
  if (r.lower) out[r.lower.inclusive ? 'gte' : 'gt'] = r.lower.key;
  if (r.upper) out[r.upper.inclusive ? 'lte' : 'lt'] = r.upper.key;
  return out;
}

/** True when key lies within the normalized bounds (ignores limit). */
export function inRange(r: NormalizedRange, key: Uint8Array): boolean {
  if (r.lower) {
    const c = compareBytes(key, r.lower.key);
    if (c < 0 || (c === 0 && !r.lower.inclusive)) return false;
  }
  if (r.upper) {
    const c = compareBytes(key, r.upper.key);
    if (c > 0 || (c === 0 && !r.upper.inclusive)) return false;
  }
  return true;
}

/** Keeps the tighter of `current` and a candidate bound; dir 1 = lower side, -1 = upper. */
function pick(current: ByteBound | undefined, key: Uint8Array | undefined, inclusive: boolean, dir: 1 | -1) {
  if (key === undefined) return current;
  if (!current) return { key, inclusive };
  const c = compareBytes(key, current.key) * dir;
  if (c > 0 || (c === 0 && !inclusive)) return { key, inclusive };
  return current;
}
