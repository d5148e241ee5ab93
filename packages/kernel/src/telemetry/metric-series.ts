import type { MetricLabels } from '../extension-points/metrics-registry.js';
import type { MetricAggregate } from './metric-aggregate.js';

/** One labelled series as read for `/v1/agent/metrics`; `name` carries the prefix. */
export interface GaugeSeries {
  readonly name: string;
  readonly labels: MetricLabels;
  readonly value: number;
}

export interface AggregateSeries {
  readonly name: string;
  readonly labels: MetricLabels;
  readonly aggregate: MetricAggregate;
}

export interface SampleSeries extends AggregateSeries {
  /** Quantiles 0.5, 0.9 and 0.99 of the most recent observations (Prometheus summary). */
  readonly quantiles: readonly (readonly [number, number])[];
}

export interface MetricsCollection {
  readonly gauges: readonly GaugeSeries[];
  readonly counters: readonly AggregateSeries[];
  readonly samples: readonly SampleSeries[];
}
