import type { ClusterRpcPort, DatacenterTarget, HttpRequest, QueryName, QueryReply } from '@proconsul/kernel';
import { parseQueryOptions } from './query-params.js';

/**
 * A state read the way the request asks: in the datacenter it names (`?dc=`), with its
 * consistency mode and blocking options (`?stale`, `?consistent`, `?index`, `?wait`), as its
 * caller (`{ token }`), a blocking read stopped when the client goes away. May block up to the request's wait.
 */
export function readForRequest<T>(
  rpc: ClusterRpcPort,
  req: HttpRequest,
  query: QueryName,
  args: unknown,
): Promise<QueryReply<T>> {
  const opts = parseQueryOptions(req.query);
  // Only a blocking read outlives its client for long; not asking for the signal of a read
  // that answers at once spares an AbortController per request.
  return rpc.read<T>(
    query,
    args,
    { ...opts, ...datacenterTarget(req) },
    { token: req.token },
    opts.minIndex > 0 ? req.signal : undefined,
  );
}

/**
 * Where a request's call runs: the datacenter `?dc=` names (empty: this agent's own). The
 * router resolves the name; an unknown one is "No path to datacenter".
 */
export function datacenterTarget(req: HttpRequest, bodyDatacenter?: string): DatacenterTarget {
  const dc = bodyDatacenter || req.query.get('dc') || undefined;
  return dc ? { datacenter: dc } : {};
}
