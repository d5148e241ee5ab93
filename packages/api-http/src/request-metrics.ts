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

/**
 * Times each request of one route and method until its response is finished (a streamed
 * body included), as Consul's `api.http` (labelled) and `http.<METHOD>.<path>` samples. The
 * names and labels are built once per route, so timing a request allocates only its listener.
 */
export function requestTimer(metrics: MetricsRegistry, method: string, path: string): (res: ServerResponse) => void {
  const labels = Object.freeze({ method, path });
  const legacyName = `http.${method}.${path}`;
  return (res) => {
    const t0 = performance.now();
    // 'close' follows 'finish' when the response was sent, and comes alone when the client left first.
    res.once('close', () => {
      metrics.measureSince('api.http', t0, labels);
      metrics.measureSince(legacyName, t0);
    });
  };
}
