import type { SortedMap } from '@proconsul/collections';

/**
 * Composite keys are strings joined with NUL, which sorts before every other character:
 * all rows of one node (`node\0…`) are contiguous and prefix scans stay exact. Names
 * containing NUL are rejected at the API edge.
 */
export const SEP = '\u0000';

export function key2(a: string, b: string): string {
  return a + SEP + b;
}

export function key3(a: string, b: string, c: string): string {
  return a + SEP + b + SEP + c;
}

/** Entries whose key starts with `prefix`, in key order, from the map version current at the call. */
export function* scanPrefix<V>(map: SortedMap<string, V>, prefix: string): Generator<[string, V]> {
  for (const entry of map.entries(prefix === '' ? undefined : { gte: prefix })) {
    if (!entry[0].startsWith(prefix)) return;
    yield entry;
  }
}

/** The last NUL-separated part of a composite key. */
export function lastPart(key: string): string {
  return key.slice(key.lastIndexOf(SEP) + 1);
}
