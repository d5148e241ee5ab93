import type { HttpResponse, QueryMeta } from '@proconsul/kernel';

/** Consul's blocking-query headers. */
export function metaHeaders(meta: QueryMeta): Record<string, string> {
  const headers: Record<string, string> = {
    'X-Consul-Index': String(Math.max(1, meta.index)),
    'X-Consul-KnownLeader': String(meta.knownLeader),
    'X-Consul-LastContact': String(Math.round(meta.lastContactMs)),
    'X-Consul-Effective-Consistency': meta.consistency,
  };
  // Consul sends it only when something was filtered out.
  if (meta.resultsFilteredByAcls) headers['X-Consul-Results-Filtered-By-ACLs'] = 'true';
  return headers;
}

/** A JSON reply carrying the read's meta headers. */
export function replyWithMeta(meta: QueryMeta, body: unknown, status = 200): HttpResponse {
  return { status, body, headers: metaHeaders(meta) };
}
