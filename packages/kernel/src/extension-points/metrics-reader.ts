import type { MetricAggregate } from '../telemetry/metric-aggregate.js';
import type { MetricsCollection } from '../telemetry/metric-series.js';

/** The agent's metrics for /v1/agent/metrics. Bound by the kernel on every agent (the TelemetryRegistry). */
export const MetricsReader = Symbol.for('proconsul.MetricsReader');

export interface MetricsReader {
  /** Epoch ms when collection began (the reporting window starts here). */
  readonly startedAt: number;
  /** `telemetry.prometheus_retention_time` in ms; 0 means the Prometheus format is off, as in Consul. */
  readonly prometheusRetentionMs: number;
  /** Every series now (gauge sources are read); synchronous. `maxAgeMs` drops series not updated within it. */
  collect(maxAgeMs?: number): MetricsCollection;
  /** Unlabelled counters and samples by full name; synchronous. */
  snapshot(): { counters: ReadonlyMap<string, MetricAggregate>; samples: ReadonlyMap<string, MetricAggregate> };
}
