import { performance } from 'node:perf_hooks';
import type { ServerResponse } from 'node:http';
import type { MetricsRegistry } from '@proconsul/kernel';

/**
 * Consul's path label: the route without its leading slash, dots for slashes, and `_`
 * for every part that names something (a key, a service), so series stay few:
 * `/v1/kv{/*key}` → `v1.kv._`.
 */
export function httpMetricPath(pattern: string): string {
  return pattern
    .replace(/\{\/[^}]*\}/g, '/_') // an optional trailing part, `{/*key}`
    .replace(/^\//, '')
    .split('/')
    .map((p) => (p.startsWith(':') || p.includes('*') || p.includes('{') ? '_' : p))
    .join('.');
}

/** Times the request until its response is finished (a streamed body included). */
export function timeRequest(res: ServerResponse, metrics: MetricsRegistry, method: string, path: string): void {
  const t0 = performance.now();
  let done = false;
  const record = () => {
    if (done) return;
    done = true;
    metrics.measureSince('api.http', t0, { method, path });
    metrics.measureSince(`http.${method}.${path}`, t0);
  };
  // 'finish' when the response was sent, 'close' when the client left first.
  res.once('finish', record);
  res.once('close', record);
}
