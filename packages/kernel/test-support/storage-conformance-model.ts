import type { RangeOptions } from '@proconsul/kernel';
import { seededRandom as seeded } from './seeded-random.js';

export { seeded };

/**
 * Reference answer for a range query over hex-encoded keys, sorted ascending. Lowercase hex
 * strings of bytes compare like the bytes (memcmp, shorter prefix first), which makes this
 * model independent of the byte-range code under test.
 */
export function rangeModel(sortedHex: readonly string[], r: RangeOptions): string[] {
  const h = (u: Uint8Array | undefined) => (u === undefined ? undefined : Buffer.from(u).toString('hex'));
  const [gte, gt, lte, lt, prefix] = [h(r.gte), h(r.gt), h(r.lte), h(r.lt), h(r.prefix)];
  let out = sortedHex.filter(
    (k) =>
      (gte === undefined || k >= gte) &&
      (gt === undefined || k > gt) &&
      (lte === undefined || k <= lte) &&
      (lt === undefined || k < lt) &&
      (prefix === undefined || k.startsWith(prefix)),
  );
  if (r.reverse) out = out.reverse();
  return r.limit === undefined ? out : out.slice(0, Math.max(0, r.limit));
}

export function strictlyIncreasing(xs: readonly string[]): boolean {
  return xs.every((x, i) => i === 0 || xs[i - 1]! < x);
}
