import type { Coordinate } from '@proconsul/kernel';
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

/** Null/undefined deletes the key. With `cas`, writes only over a stored value of that ModifyIndex (returns false otherwise). */
export function systemMetaSet(
  ctx: WriteContext,
  key: string,
  value: unknown,
  opts: { stamp?: boolean; cas?: number } = {},
): boolean {
  const prev = ctx.t.system.get(key) as { CreateIndex?: unknown; ModifyIndex?: unknown } | undefined;
  if (opts.cas !== undefined && (typeof prev !== 'object' || prev === null || prev.ModifyIndex !== opts.cas)) return false;
  if (value === null || value === undefined) ctx.t.system.delete(key);
  else if (opts.stamp && typeof value === 'object' && !Array.isArray(value)) {
    const created =
      typeof prev === 'object' && prev !== null && typeof prev.CreateIndex === 'number' ? prev.CreateIndex : ctx.index;
    ctx.t.system.set(key, { ...value, CreateIndex: created, ModifyIndex: ctx.index });
  } else ctx.t.system.set(key, value);
  ctx.bump(TABLE.system);
  return true;
}
