import { createHash } from 'node:crypto';
import type { AgentStateView, HttpRequest, HttpResponse } from '@proconsul/kernel';
import { parseQueryOptions } from '@proconsul/http';
import { applyFilter } from '@proconsul/state';

/** Hex digest of a response body (Consul returns its own hash; clients only compare it). */
export function contentHash(body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(body) ?? '')
    .digest('hex')
    .slice(0, 16);
}

/** Consul's `X-Consul-Results-Filtered-By-ACLs`, sent only when something was left out. */
export function filteredHeader(filtered: boolean): Record<string, string> {
  return filtered ? { 'X-Consul-Results-Filtered-By-ACLs': 'true' } : {};
}

/**
 * Agent-local blocking (Consul's hash-based blocking for agent endpoints): with `?hash=`,
 * wait until the response differs from that hash or `?wait` expires, re-rendering at each
 * local change. `?filter=` applies to map/list bodies when `filterable`. The reply carries X-Consul-ContentHash. `render` runs on the event loop
 * against the current local state and must not block.
 */
export async function hashBlocking(
  req: HttpRequest,
  state: AgentStateView,
  render: () => HttpResponse,
  opts: { filterable?: boolean } = {},
): Promise<HttpResponse> {
  const want = req.query.get('hash');
  const deadline = Date.now() + (want ? parseQueryOptions(req.query).maxWaitMs : 0);
  for (;;) {
    const res = render();
    const filter = opts.filterable ? req.query.get('filter') : null;
    const body = filter && res.body && typeof res.body === 'object' ? applyFilter(res.body as never, filter) : res.body;
    const hash = contentHash([res.status ?? 200, body]);
    const remaining = deadline - Date.now();
    if (!want || hash !== want || remaining <= 0 || req.signal.aborted) {
      return { ...res, body, headers: { ...res.headers, 'X-Consul-ContentHash': hash } };
    }
    await state.waitForChange(remaining, req.signal);
  }
}
