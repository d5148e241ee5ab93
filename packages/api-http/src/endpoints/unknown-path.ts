import { DEFAULT_QUERY, type HttpRequest, type HttpResponse } from '@proconsul/kernel';
import { metaHeaders, type EndpointDeps } from './endpoint-support.js';

/**
 * The answer to a `/v1/` path nothing serves (`/v1/query/…`, `/v1/coordinate/…`, a typo):
 * 404 with Consul's query headers. Consul's clients parse `X-Consul-Index` from every
 * answer of a query endpoint without checking the status, so a bare 404 breaks them where
 * Consul's own 404 would not. The index is the catalog's, read stale from any server with
 * the caller's token; if no server answers it is 1, never absent.
 */
export function unknownApiPath(deps: EndpointDeps): (req: HttpRequest) => Promise<HttpResponse> {
  return async (req) => {
    let headers: Record<string, string> = { 'X-Consul-Index': '1' };
    try {
      const r = await deps.rpc.read(
        'Catalog.NodeServices',
        { node: '' },
        { ...DEFAULT_QUERY, allowStale: true },
        { token: req.token },
        req.signal,
      );
      headers = metaHeaders(r.meta);
    } catch {
      // no server reachable (or the read refused): the 404 itself is still the answer
    }
    return { status: 404, headers, body: `Unsupported endpoint: ${req.path}` };
  };
}
