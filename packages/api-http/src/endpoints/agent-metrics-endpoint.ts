import type { HttpEndpoint } from '@proconsul/kernel';
import { PrometheusDisabled } from '../http-errors.js';
import type { AgentEndpointDeps } from './agent-endpoint-deps.js';
import { metricsJson, prometheusText } from './agent-metrics-format.js';
import { authorize, require, route } from './endpoint-support.js';

/**
 * `GET /v1/agent/metrics`: Consul's in-memory sink JSON, or with `?format=prometheus` the
 * text a Prometheus server scrapes — only when `telemetry.prometheus_retention_time` is
 * positive, as in Consul (415 otherwise). Everything comes from the MetricsReader:
 * counters and samples the agent's parts reported, gauges read now.
 */
export function agentMetricsEndpoint(deps: AgentEndpointDeps): HttpEndpoint {
  return route('GET', '/v1/agent/metrics', async (req) => {
    require(await authorize(deps, req), 'agent', deps.config.nodeName, 'read');
    if (req.query.get('format') === 'prometheus') {
      const retention = deps.metrics.prometheusRetentionMs;
      if (!(retention > 0)) throw PrometheusDisabled();
      return {
        body: prometheusText(deps.metrics.collect(retention)),
        headers: { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' },
      };
    }
    const windowS = (Date.now() - deps.metrics.startedAt) / 1000;
    return { body: metricsJson(deps.metrics.collect(), windowS, new Date()) };
  });
}
