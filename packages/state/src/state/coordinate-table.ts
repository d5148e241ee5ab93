import type { Coordinate } from '@proconsul/kernel';
import { compareStrings, SortedMap } from '@proconsul/collections';
import { key2, scanPrefix, SEP } from './table-keys.js';

/** Network coordinates keyed node\0segment. */
export class CoordinateTable {
  constructor(readonly coords = new SortedMap<string, Coordinate>(compareStrings)) {}

  clone(): CoordinateTable {
    return new CoordinateTable(this.coords.clone());
  }

  put(c: Coordinate): void {
    this.coords.set(key2(c.Node, c.Segment), c);
  }

  ofNode(node: string): Coordinate[] {
    return [...scanPrefix(this.coords, node + SEP)].map(([, c]) => c);
  }

  /** Returns how many were removed. */
  removeNode(node: string): number {
    const keys = [...scanPrefix(this.coords, node + SEP)].map(([k]) => k);
    for (const k of keys) this.coords.delete(k);
    return keys.length;
  }
}
