/** How a read wants to be answered (Consul's QueryOptions). */
export interface QueryOptions {
  /** Block until the result's index exceeds this (0 = don't block). */
  readonly minIndex: number;
  /** Longest block, ms (default 5m, capped at 10m, as Consul). */
  readonly maxWaitMs: number;
  /** `?stale`: any server may answer from its local state. */
  readonly allowStale: boolean;
  /** `?consistent`: the leader confirms leadership with a quorum first. */
  readonly requireConsistent: boolean;
  /** `?max_stale`: with stale, re-ask the leader if this server is further behind (ms; 0 = unbounded). */
  readonly maxStaleMs: number;
}

/** What came with a read's answer: X-Consul-Index, -KnownLeader, -LastContact, -Effective-Consistency, -Results-Filtered-By-ACLs. */
export interface QueryMeta {
  readonly index: number;
  readonly knownLeader: boolean;
  readonly lastContactMs: number;
  readonly consistency: 'leader' | 'stale' | 'consistent';
  /**
   * Some results were left out because the caller's token may not read them (Consul 1.11+'s
   * `X-Consul-Results-Filtered-By-ACLs`), so an empty or short list is not the whole truth.
   */
  readonly resultsFilteredByAcls?: boolean;
}

export interface QueryReply<T> {
  readonly meta: QueryMeta;
  readonly value: T;
}

export const DEFAULT_WAIT_MS = 5 * 60_000; // Consul's default blocking wait
export const MAX_WAIT_MS = 10 * 60_000; // Consul's cap

export const DEFAULT_QUERY: QueryOptions = {
  minIndex: 0,
  maxWaitMs: DEFAULT_WAIT_MS,
  allowStale: false,
  requireConsistent: false,
  maxStaleMs: 0,
};
