import type { MetricLabels } from '@proconsul/kernel';

/**
 * Consul's timer for a write its leader applies (the endpoint's `metrics.MeasureSince`):
 * `kvs.apply`, `txn.apply`, `catalog.register`, … Undefined for internal commands Consul
 * does not time.
 */
export function writeMetricName(commandType: string): string | undefined {
  if (commandType.startsWith('kv-')) return 'kvs.apply';
  if (commandType.startsWith('session-')) return 'session.apply';
  if (commandType === 'acl-bootstrap') return 'acl.bootstrap';
  const acl = /^acl-(token|policy|role)-(set|delete)$/.exec(commandType);
  if (acl) return `acl.${acl[1]}.${acl[2] === 'set' ? 'upsert' : 'delete'}`;
  switch (commandType) {
    case 'txn':
      return 'txn.apply';
    case 'register':
      return 'catalog.register';
    case 'deregister':
      return 'catalog.deregister';
    case 'coordinate-batch':
      return 'coordinate.batch-update';
    default:
      return undefined;
  }
}

/**
 * Consul's per-service query counters: `catalog.service.query` / `health.service.query`
 * labelled with the service (and `…query-tag` with the tag), plus `…service.not-found` when
 * the answer is empty.
 */
export function readMetrics(query: string, args: unknown, resultEmpty: boolean): [string, MetricLabels][] {
  const kind = query === 'Catalog.ServiceNodes' ? 'catalog' : query === 'Health.ServiceNodes' ? 'health' : undefined;
  if (!kind) return [];
  const a = (args ?? {}) as { service?: unknown; tags?: unknown };
  const service = typeof a.service === 'string' ? a.service : '';
  const tags = Array.isArray(a.tags) ? a.tags.filter((t): t is string => typeof t === 'string') : [];
  const out: [string, MetricLabels][] = [
    tags.length > 0 ? [`${kind}.service.query-tag`, { service, tag: tags.join(',') }] : [`${kind}.service.query`, { service }],
  ];
  if (resultEmpty) out.push([`${kind}.service.not-found`, { service }]);
  return out;
}
