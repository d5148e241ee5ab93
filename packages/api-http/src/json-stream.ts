import { Readable } from 'node:stream';

/** Lists at least this long are sent as a stream of slices rather than one string. */
export const STREAM_MIN_ITEMS = 2048;
/** Elements per slice: ~50–100 KB of JSON for KV entries of 100-byte values. */
const SLICE_ITEMS = 512;

/**
 * A long JSON array written slice by slice, each slice serialised only when the socket asks
 * for more (Readable.from pulls on demand). A recursive GET of 100k keys then holds one
 * slice of text at a time instead of its whole answer, so concurrent large reads do not
 * each add a full copy of their JSON to the heap. `stringify` is the caller's serialiser
 * (it must render an array); the items themselves are immutable state rows and stay shared.
 */
export function jsonArrayStream(items: readonly unknown[], stringify: (slice: readonly unknown[]) => string): Readable {
  function* slices(): Generator<string> {
    yield '[';
    for (let i = 0; i < items.length; i += SLICE_ITEMS) {
      const text = stringify(items.slice(i, i + SLICE_ITEMS));
      // Each slice renders as "[a,b,…]": drop its brackets, join slices with a comma.
      yield (i === 0 ? '' : ',') + text.slice(1, -1);
    }
    yield ']';
  }
  return Readable.from(slices(), { objectMode: false });
}
