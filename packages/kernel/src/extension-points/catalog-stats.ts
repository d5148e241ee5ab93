/**
 * Sizes of the replicated catalog for metrics (consul.state.* gauges). Bound by the kernel;
 * meaningful only on servers (a client's store is empty). Frontends read counts through
 * this instead of reaching into the state store.
 */
export const CatalogStats = Symbol.for('proconsul.CatalogStats');

export interface CatalogCounts {
  readonly nodes: number;
  readonly services: number;
  readonly serviceInstances: number;
}

export interface CatalogStats {
  /** Counted from the current state; synchronous, O(nodes). */
  counts(): CatalogCounts;
}
