import { WatchSet, type QueryResult } from '@proconsul/state';

export interface BlockingOptions {
  readonly minIndex: number;
  readonly maxWaitMs: number;
  readonly signal?: AbortSignal;
  /** Incremented while this query blocks, decremented when it returns (a gauge for metrics). */
  readonly inFlight?: { count: number };
  /** Source of randomness for the jitter; injectable for tests. */
  readonly random?: () => number;
}

/**
 * Run `query` and, when `minIndex` > 0 and the result's index has not passed it, wait on
 * exactly what the query read (its WatchSet) and run it again — no polling. The wait is
 * `maxWaitMs` plus up to maxWaitMs/16 of random jitter, as Consul spreads out the herd of
 * clients whose waits would otherwise expire together. Returns the last result at timeout
 * (a timeout is not an error: the index simply hasn't moved). When `signal` aborts it
 * returns at once, having released every watch it registered.
 */
export async function blockingQuery<T>(query: (ws?: WatchSet) => QueryResult<T>, opts: BlockingOptions): Promise<QueryResult<T>> {
  if (opts.minIndex <= 0 || opts.maxWaitMs <= 0) return query();
  if (opts.inFlight) opts.inFlight.count++;
  try {
    return await block(query, opts);
  } finally {
    if (opts.inFlight) opts.inFlight.count--;
  }
}

async function block<T>(query: (ws?: WatchSet) => QueryResult<T>, opts: BlockingOptions): Promise<QueryResult<T>> {
  const random = opts.random ?? Math.random;
  const deadline = Date.now() + opts.maxWaitMs + random() * (opts.maxWaitMs / 16);
  for (;;) {
    const ws = new WatchSet();
    const result = query(ws);
    const remaining = deadline - Date.now();
    if (result.index > opts.minIndex || remaining <= 0 || opts.signal?.aborted) {
      ws.close();
      return result;
    }
    const changed = await ws.wait(remaining, opts.signal);
    if (!changed) return query();
  }
}
