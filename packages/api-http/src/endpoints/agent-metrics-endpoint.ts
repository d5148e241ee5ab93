import type { HttpEndpoint, MetricAggregate } from '@proconsul/kernel';
import type { AgentEndpointDeps } from './agent-endpoint-deps.js';
import { prometheusText, sampled, type Gauge } from './agent-metrics-format.js';
import { authorize, require, route } from './endpoint-support.js';

/**
 * `GET /v1/agent/metrics` (JSON like Consul's in-memory sink; `?format=prometheus` for
 * scrapers). Gauges are read at request time: process memory, active handles (our
 * goroutines), local registrations, RPC counts and — on servers — catalog sizes and
 * the blocking queries in flight.
 */
export function agentMetricsEndpoint(deps: AgentEndpointDeps): HttpEndpoint {
  return route('GET', '/v1/agent/metrics', async (req) => {
    require(await authorize(deps, req), 'agent', deps.config.nodeName, 'read');
    const gauges = readGauges(deps);
    const { counters, samples } = deps.metrics.snapshot();
    const rpc = deps.rpc.counts;
    const allCounters = new Map<string, MetricAggregate>(counters);
    for (const [name, n] of [
      ['consul.rpc.read', rpc.reads],
      ['consul.rpc.write', rpc.writes],
      ['consul.client.rpc', rpc.forwarded],
    ] as const) {
      if (n > 0) allCounters.set(name, { count: n, sum: n, min: 1, max: 1, sumSq: n });
    }
    if (req.query.get('format') === 'prometheus') {
      return {
        body: prometheusText(gauges, allCounters, samples),
        headers: { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' },
      };
    }
    const windowS = (Date.now() - deps.metrics.startedAt) / 1000;
    return {
      body: {
        Timestamp: goTimestamp(new Date()),
        Gauges: gauges,
        Points: [],
        Counters: [...allCounters].map(([n, a]) => sampled(n, a, windowS)),
        Samples: [...samples].map(([n, a]) => sampled(n, a, windowS)),
      },
    };
  });
}

function readGauges(deps: AgentEndpointDeps): Gauge[] {
  const mem = process.memoryUsage();
  const g = (Name: string, Value: number): Gauge => ({ Name, Value, Labels: {} });
  const checks = deps.local.state.checks();
  const out = [
    g('consul.runtime.alloc_bytes', mem.heapUsed),
    g('consul.runtime.sys_bytes', mem.rss),
    g('consul.runtime.total_heap_bytes', mem.heapTotal),
    g('consul.runtime.num_goroutines', process.getActiveResourcesInfo().length),
    g('consul.agent.services', deps.local.state.services().length),
    g('consul.agent.checks', checks.length),
    g('consul.agent.checks.critical', checks.filter((c) => c.check.Status === 'critical').length),
  ];
  if (deps.rpc.isServer) {
    const counts = deps.catalogStats.counts();
    out.push(
      g('consul.state.nodes', counts.nodes),
      g('consul.state.services', counts.services),
      g('consul.state.service_instances', counts.serviceInstances),
      // Consul's gauge: blocking queries this server holds now (a leak shows as a rising floor).
      g('consul.rpc.queries_blocking', deps.rpc.blocking.count),
    );
  }
  return out;
}

/** Go's time.Time String() in UTC, as Consul prints the interval's timestamp. */
function goTimestamp(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`;
}
