import type { MetricAggregate } from '../agent/local/agent-metrics.js';

/** The agent's counters and samples for /v1/agent/metrics. Bound by the kernel on every agent. */
export const MetricsReader = Symbol.for('proconsul.MetricsReader');

export interface MetricsReader {
  /** Epoch ms when collection began (the reporting window starts here). */
  readonly startedAt: number;
  /** A copy of the aggregates so far; synchronous. */
  snapshot(): { counters: ReadonlyMap<string, MetricAggregate>; samples: ReadonlyMap<string, MetricAggregate> };
}
