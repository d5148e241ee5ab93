import type { MetricAggregate } from '@proconsul/kernel';

/**
 * In-memory counters and timing samples the agent records about itself (anti-entropy
 * rounds, agent API registrations), served by `/v1/agent/metrics` with the gauges read
 * at request time. Cumulative since start: a scraper derives rates itself.
 */
export class AgentMetrics {
  private readonly counters = new Map<string, MetricAggregate>();
  private readonly samples = new Map<string, MetricAggregate>();
  readonly startedAt = Date.now();

  incr(name: string, by = 1): void {
    this.add(this.counters, name, by);
  }

  /** A duration in milliseconds (or any measured value). */
  sample(name: string, value: number): void {
    this.add(this.samples, name, value);
  }

  snapshot(): { counters: ReadonlyMap<string, MetricAggregate>; samples: ReadonlyMap<string, MetricAggregate> } {
    return { counters: new Map(this.counters), samples: new Map(this.samples) };
  }

  private add(m: Map<string, MetricAggregate>, name: string, v: number): void {
    const a = m.get(name);
    m.set(
      name,
      a
        ? { count: a.count + 1, sum: a.sum + v, min: Math.min(a.min, v), max: Math.max(a.max, v), sumSq: a.sumSq + v * v }
        : { count: 1, sum: v, min: v, max: v, sumSq: v * v },
    );
  }
}
