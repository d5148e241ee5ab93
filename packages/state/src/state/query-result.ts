import type { StateTables } from './state-tables.js';
import type { WatchRegistry } from './watch-registry.js';
import type { WatchSet } from './watch-set.js';

/**
 * A read's answer: `index` is the highest raft index of exactly what was read (>= 1),
 * for `X-Consul-Index` and blocking. Returned objects are the store's own immutable
 * rows: serialize them, never mutate them.
 */
export interface QueryResult<T> {
  readonly index: number;
  readonly value: T;
}

/** Where readers get the version to read: the live store (changes between calls) or a fixed view. */
export type TablesSource = () => StateTables;

/** Shared plumbing of the per-area readers. Each method reads one version synchronously. */
export abstract class Reader {
  constructor(
    protected readonly source: TablesSource,
    /** Absent on snapshot views: nothing changes there, so nothing to watch. */
    protected readonly watches?: WatchRegistry,
  ) {}

  protected watchTables(ws: WatchSet | undefined, ...tables: string[]): void {
    if (ws && this.watches) for (const t of tables) this.watches.watchTable(ws, t);
  }
}
