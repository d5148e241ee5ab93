import type { Coordinate } from '../model/coordinate.js';
import { TABLE } from './index-table.js';
import type { WriteContext } from './write-context.js';

/** Store coordinates of known nodes; updates for unknown nodes are dropped (a node may leave mid-batch). */
export function coordinateBatch(ctx: WriteContext, updates: Coordinate[]): number {
  let stored = 0;
  for (const u of updates) {
    if (!ctx.t.catalog.nodes.get(u.Node)) continue;
    ctx.t.coordinates.put({ Node: u.Node, Segment: u.Segment ?? '', Coord: u.Coord });
    stored++;
  }
  if (stored > 0) ctx.bump(TABLE.coordinates);
  return stored;
}

/** Null/undefined deletes the key. */
export function systemMetaSet(ctx: WriteContext, key: string, value: unknown): void {
  if (value === null || value === undefined) ctx.t.system.delete(key);
  else ctx.t.system.set(key, value);
  ctx.bump(TABLE.system);
}
