/** The agent config's `telemetry {}` block, as far as Proconsul implements it. */
export interface TelemetryOptions {
  /** `metrics_prefix`; Consul's default is "consul". */
  readonly metricsPrefix: string;
  /** `disable_hostname`: when false (Consul's default) gauges carry the host name after the prefix. */
  readonly disableHostname: boolean;
  /** `prometheus_retention_time`: 0 disables `?format=prometheus`; series not updated for this long are dropped from it. */
  readonly prometheusRetentionMs: number;
  /** `statsd_address` (host:port, UDP). Empty = off. */
  readonly statsdAddress: string;
  /** `dogstatsd_addr` (host:port, UDP). Empty = off. */
  readonly dogstatsdAddr: string;
  /** `dogstatsd_tags`: tags added to every DogStatsD metric. */
  readonly dogstatsdTags: readonly string[];
}

export const DEFAULT_TELEMETRY: TelemetryOptions = {
  metricsPrefix: 'consul',
  disableHostname: false,
  prometheusRetentionMs: 0,
  statsdAddress: '',
  dogstatsdAddr: '',
  dogstatsdTags: [],
};
