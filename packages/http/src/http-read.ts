import type { ClusterRpcPort, HttpRequest, QueryName, QueryReply } from '@proconsul/kernel';
import { parseQueryOptions } from './query-params.js';

/**
 * A state read the way the request asks: its consistency mode and blocking options
 * (`?stale`, `?consistent`, `?index`, `?wait`), as its caller (`{ token }`), stopped when the
 * client goes away. May block up to the request's wait.
 */
export function readForRequest<T>(
  rpc: ClusterRpcPort,
  req: HttpRequest,
  query: QueryName,
  args: unknown,
): Promise<QueryReply<T>> {
  return rpc.read<T>(query, args, parseQueryOptions(req.query), { token: req.token }, req.signal);
}
