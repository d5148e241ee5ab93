import { createHash } from 'node:crypto';
import {
  BadRequest,
  DEFAULT_QUERY,
  MAX_WAIT_MS,
  type HttpRequest,
  type HttpResponse,
  type QueryName,
  type QueryReply,
} from '@proconsul/kernel';
import { datacenterTarget, parseQueryOptions } from '@proconsul/http';
import { read, type EndpointDeps } from './endpoint-support.js';

export interface MaybeCachedReply<T> {
  readonly reply: QueryReply<T>;
  /** `X-Cache` (and `Age` on a hit) for a `?cached` request; empty otherwise. */
  readonly cacheHeaders: Record<string, string>;
}

/**
 * A read that honours `?cached` (Consul's background-refresh agent cache) where the
 * endpoint supports it, and is exactly `read` without it. Cached values are keyed by query,
 * arguments and token, so no request ever gets a value fetched with another token; the
 * endpoint still applies its ACL filtering to what comes back. As Consul documents for
 * background refresh, `Cache-Control` is ignored: the value is kept current by a watch.
 */
export async function readMaybeCached<T>(
  deps: EndpointDeps,
  req: HttpRequest,
  query: QueryName,
  args: unknown,
): Promise<MaybeCachedReply<T>> {
  if (!req.query.has('cached') || !deps.cache) return { reply: await read<T>(deps, req, query, args), cacheHeaders: {} };
  const opts = parseQueryOptions(req.query);
  if (opts.requireConsistent) throw BadRequest('Cannot specify ?cached with ?consistent, conflicting semantics.');
  const token = req.token ?? '';
  // Hashed so the cache holds no token; distinct per token all the same.
  const target = datacenterTarget(req);
  const key = JSON.stringify([query, args, createHash('sha256').update(token).digest('hex'), target.datacenter?.toLowerCase()]);
  const caller = { token: req.token };
  const r = await deps.cache.get<T>(
    key,
    (minIndex, signal) =>
      deps.rpc.read<T>(
        query,
        args,
        { ...DEFAULT_QUERY, ...target, allowStale: true, minIndex, maxWaitMs: MAX_WAIT_MS },
        caller,
        signal,
      ),
    { minIndex: opts.minIndex, maxWaitMs: opts.maxWaitMs, signal: req.signal },
  );
  return {
    reply: r.reply,
    cacheHeaders: r.hit ? { 'X-Cache': 'HIT', Age: String(r.ageSeconds) } : { 'X-Cache': 'MISS' },
  };
}

export function withHeaders(res: HttpResponse, headers: Record<string, string>): HttpResponse {
  return { ...res, headers: { ...(res.headers ?? {}), ...headers } };
}
