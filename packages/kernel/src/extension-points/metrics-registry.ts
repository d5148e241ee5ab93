/**
 * Where every part of an agent reports its metrics, under Consul's names without the
 * prefix (`raft.apply`, `memberlist.gossip`); the registry adds `metrics_prefix` (and
 * the host name to gauges unless `disable_hostname`), keeps the aggregates that
 * `/v1/agent/metrics` serves and passes each value on to the sinks (StatsD). Bound by the
 * kernel on every agent; plugins that may run without it (unit tests) fall back to
 * `NO_METRICS`.
 *
 * Every method is synchronous, cheap and never blocks or throws: it is called on hot
 * paths (each raft append response, each HTTP request).
 */
export const MetricsRegistry = Symbol.for('proconsul.MetricsRegistry');

export type MetricLabels = Readonly<Record<string, string>>;

export type MetricKind = 'counter' | 'sample' | 'gauge';

export interface GaugeReading {
  readonly name: string;
  readonly value: number;
  readonly labels?: MetricLabels;
}

/** Receives each value as it is recorded (full name, prefix included). Must only buffer or send without waiting. */
export interface MetricsSink {
  emit(kind: MetricKind, name: string, value: number, labels: MetricLabels): void;
}

export interface MetricsRegistry {
  /** Add to a counter (go-metrics IncrCounter). */
  incrCounter(name: string, value?: number, labels?: MetricLabels): void;
  /** One observation of a sample, in milliseconds for timers (go-metrics AddSample). */
  addSample(name: string, value: number, labels?: MetricLabels): void;
  /** A timer from `startMs` (a `performance.now()` reading) to now (go-metrics MeasureSince). */
  measureSince(name: string, startMs: number, labels?: MetricLabels): void;
  setGauge(name: string, value: number, labels?: MetricLabels): void;
  /**
   * Gauges computed when metrics are read (a scrape, a StatsD flush) rather than pushed.
   * The function must be quick and synchronous. Returns the function that removes it.
   */
  addGaugeSource(source: () => Iterable<GaugeReading>): () => void;
  /** Returns the function that removes the sink. */
  addSink(sink: MetricsSink): () => void;
}

/** Discards everything: for components built without an agent around them. */
export const NO_METRICS: MetricsRegistry = {
  incrCounter() {},
  addSample() {},
  measureSince() {},
  setGauge() {},
  addGaugeSource: () => () => {},
  addSink: () => () => {},
};
