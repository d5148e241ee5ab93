import type { AggregateSeries, GaugeSeries, MetricAggregate, MetricLabels, MetricsCollection } from '@proconsul/kernel';

/** go-metrics' SampledValue JSON: Count, Rate (per second over the window), Sum, Min, Max, Mean, Stddev. */
export function sampled(name: string, a: MetricAggregate, windowS: number, labels: MetricLabels = {}): Record<string, unknown> {
  const mean = a.sum / a.count;
  const variance = a.count > 1 ? Math.max(0, (a.sumSq - a.count * mean * mean) / (a.count - 1)) : 0;
  return {
    Name: name,
    Count: a.count,
    Rate: a.sum / Math.max(windowS, 1),
    Sum: a.sum,
    Min: a.min,
    Max: a.max,
    Mean: mean,
    Stddev: Math.sqrt(variance),
    Labels: labels,
  };
}

/** Consul's in-memory sink shape: Timestamp, Gauges, Points, Counters, Samples. */
export function metricsJson(c: MetricsCollection, windowS: number, now: Date): Record<string, unknown> {
  return {
    Timestamp: goTimestamp(now),
    Gauges: c.gauges.map((g: GaugeSeries) => ({ Name: g.name, Value: g.value, Labels: g.labels })),
    Points: [],
    Counters: c.counters.map((s: AggregateSeries) => sampled(s.name, s.aggregate, windowS, s.labels)),
    Samples: c.samples.map((s: AggregateSeries) => sampled(s.name, s.aggregate, windowS, s.labels)),
  };
}

/**
 * Prometheus text exposition (0.0.4) as Consul's go-metrics Prometheus sink writes it:
 * dots (and anything else Prometheus rejects) become underscores, counters are counters,
 * gauges gauges, and samples summaries with quantiles 0.5/0.9/0.99, `_sum` and `_count`.
 * Series of one name share a single HELP/TYPE header.
 */
export function prometheusText(c: MetricsCollection): string {
  const families = new Map<string, { type: string; lines: string[] }>();
  const family = (name: string, type: string) => {
    const id = promName(name);
    let f = families.get(id);
    if (!f) families.set(id, (f = { type, lines: [] }));
    return { id, lines: f.lines };
  };
  for (const g of c.gauges) {
    const { id, lines } = family(g.name, 'gauge');
    lines.push(`${id}${promLabels(g.labels)} ${num(g.value)}`);
  }
  for (const s of c.counters) {
    const { id, lines } = family(s.name, 'counter');
    lines.push(`${id}${promLabels(s.labels)} ${num(s.aggregate.sum)}`);
  }
  for (const s of c.samples) {
    const { id, lines } = family(s.name, 'summary');
    for (const [q, v] of s.quantiles) lines.push(`${id}${promLabels(s.labels, { quantile: String(q) })} ${num(v)}`);
    lines.push(
      `${id}_sum${promLabels(s.labels)} ${num(s.aggregate.sum)}`,
      `${id}_count${promLabels(s.labels)} ${s.aggregate.count}`,
    );
  }
  const out: string[] = [];
  for (const [id, f] of families) out.push(`# HELP ${id} ${id}`, `# TYPE ${id} ${f.type}`, ...f.lines);
  return out.join('\n') + '\n';
}

function promName(n: string): string {
  return n.replace(/[^a-zA-Z0-9_:]/g, '_').replace(/^([0-9])/, '_$1');
}

function promLabels(labels: MetricLabels, extra: Record<string, string> = {}): string {
  const all = { ...labels, ...extra };
  const keys = Object.keys(all);
  if (keys.length === 0) return '';
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
  return `{${keys.map((k) => `${promName(k)}="${esc(all[k]!)}"`).join(',')}}`;
}

function num(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return String(v);
}

/** Go's time.Time String() in UTC, as Consul prints the interval's timestamp. */
function goTimestamp(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`;
}
