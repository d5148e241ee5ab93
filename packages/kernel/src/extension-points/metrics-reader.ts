/** Aggregate of one counter or sample series (go-metrics' AggregateSample). */
export interface MetricAggregate {
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  /** Sum of squares, for the standard deviation. */
  readonly sumSq: number;
}

/** The agent's counters and samples for /v1/agent/metrics. Bound by the kernel on every agent. */
export const MetricsReader = Symbol.for('proconsul.MetricsReader');

export interface MetricsReader {
  /** Epoch ms when collection began (the reporting window starts here). */
  readonly startedAt: number;
  /** A copy of the aggregates so far; synchronous. */
  snapshot(): { counters: ReadonlyMap<string, MetricAggregate>; samples: ReadonlyMap<string, MetricAggregate> };
}
