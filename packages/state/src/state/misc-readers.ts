import type { Coordinate } from '@proconsul/kernel';
import { TABLE } from './index-table.js';
import { Reader, type QueryResult } from './query-result.js';
import type { WatchSet } from './watch-set.js';

/** `/v1/coordinate/*` reads. */
export class CoordinateReader extends Reader {
  nodes(ws?: WatchSet): QueryResult<Coordinate[]> {
    const t = this.source();
    this.watchTables(ws, TABLE.coordinates);
    return { index: t.indexes.max(TABLE.coordinates), value: [...t.coordinates.coords.values()] };
  }

  node(name: string, ws?: WatchSet): QueryResult<Coordinate[]> {
    const t = this.source();
    this.watchTables(ws, TABLE.coordinates);
    return { index: t.indexes.max(TABLE.coordinates), value: t.coordinates.ofNode(name) };
  }
}

/** System metadata reads. */
export class SystemReader extends Reader {
  get(key: string, ws?: WatchSet): QueryResult<unknown> {
    const t = this.source();
    this.watchTables(ws, TABLE.system);
    return { index: t.indexes.max(TABLE.system), value: t.system.get(key) ?? null };
  }
}
