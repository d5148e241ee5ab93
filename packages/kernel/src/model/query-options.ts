import { BadRequest } from '../errors/kernel-errors.js';
import { parseDuration } from '../util/duration.js';

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

/** What came with a read's answer: X-Consul-Index, -KnownLeader, -LastContact, -Effective-Consistency. */
export interface QueryMeta {
  readonly index: number;
  readonly knownLeader: boolean;
  readonly lastContactMs: number;
  readonly consistency: 'leader' | 'stale' | 'consistent';
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

/** Parse `?index ?wait ?stale ?consistent ?max_stale` with Consul's rules; bad values are 400s. */
export function parseQueryOptions(q: URLSearchParams): QueryOptions {
  const stale = q.has('stale');
  const consistent = q.has('consistent');
  if (stale && consistent) throw BadRequest('Cannot specify ?stale with ?consistent, conflicting semantics.');
  let minIndex = 0;
  const index = q.get('index');
  if (index !== null && index !== '') {
    if (!/^\d+$/.test(index)) throw BadRequest(`Invalid index: strconv.ParseUint: parsing "${index}": invalid syntax`);
    minIndex = Number(index);
  }
  let maxWaitMs = DEFAULT_WAIT_MS;
  const wait = q.get('wait');
  if (wait !== null && wait !== '') {
    try {
      maxWaitMs = Math.min(parseDuration(wait), MAX_WAIT_MS);
    } catch (e) {
      throw BadRequest(`Invalid wait time: ${(e as Error).message}`);
    }
  }
  let maxStaleMs = 0;
  const ms = q.get('max_stale');
  if (ms !== null && ms !== '') {
    try {
      maxStaleMs = parseDuration(ms);
    } catch (e) {
      throw BadRequest(`Invalid max_stale value: ${(e as Error).message}`);
    }
  }
  return { minIndex, maxWaitMs, allowStale: stale || ms !== null, requireConsistent: consistent, maxStaleMs };
}
