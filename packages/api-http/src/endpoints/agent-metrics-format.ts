import type { MetricAggregate } from '@proconsul/kernel';

export interface Gauge {
  readonly Name: string;
  readonly Value: number;
  readonly Labels: Record<string, string>;
}

/** go-metrics' SampledValue JSON: Count, Rate (per second over the window), Sum, Min, Max, Mean, Stddev. */
export function sampled(name: string, a: MetricAggregate, windowS: number): Record<string, unknown> {
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
    Labels: {},
  };
}

/** Prometheus text exposition (0.0.4): dots become underscores; samples as summaries (sum and count). */
export function prometheusText(
  gauges: readonly Gauge[],
  counters: ReadonlyMap<string, MetricAggregate>,
  samples: ReadonlyMap<string, MetricAggregate>,
): string {
  const lines: string[] = [];
  const id = (n: string) => n.replace(/[^a-zA-Z0-9_:]/g, '_');
  for (const g of gauges) {
    lines.push(`# HELP ${id(g.Name)} ${g.Name}`, `# TYPE ${id(g.Name)} gauge`, `${id(g.Name)} ${g.Value}`);
  }
  for (const [name, a] of counters) {
    lines.push(`# HELP ${id(name)} ${name}`, `# TYPE ${id(name)} counter`, `${id(name)} ${a.sum}`);
  }
  for (const [name, a] of samples) {
    lines.push(
      `# HELP ${id(name)} ${name}`,
      `# TYPE ${id(name)} summary`,
      `${id(name)}_sum ${a.sum}`,
      `${id(name)}_count ${a.count}`,
    );
  }
  return lines.join('\n') + '\n';
}
