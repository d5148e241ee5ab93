import { StatsD } from 'hot-shots';
import {
  splitHostPort,
  type Logger,
  type MetricKind,
  type MetricLabels,
  type MetricsReader,
  type MetricsRegistry,
  type MetricsSink,
  type TelemetryOptions,
} from '@proconsul/kernel';

/** How often gauges read from sources (runtime, catalog sizes) are sent; go-metrics' runtime interval is similar. */
export const GAUGE_FLUSH_MS = 10_000;

/**
 * A StatsD (or DogStatsD) sink over hot-shots: each counter, timer and pushed gauge is
 * sent as it is recorded, batched into datagrams (flushed every 100 ms like go-metrics'
 * statsd sink), and the gauges computed at collection time every {@link GAUGE_FLUSH_MS}.
 * Plain StatsD has no labels, so their values join the name, as go-metrics flattens them;
 * DogStatsD gets them as `key:value` tags plus `dogstatsd_tags`.
 */
export class StatsdSink implements MetricsSink {
  private readonly client: StatsD;
  private readonly timer: NodeJS.Timeout;

  constructor(
    address: string,
    private readonly dog: boolean,
    tags: readonly string[],
    private readonly reader: MetricsReader,
    log: Logger,
  ) {
    const { host, port } = splitHostPort(address);
    let warned = false;
    this.client = new StatsD({
      host,
      port,
      protocol: 'udp',
      maxBufferSize: 1432,
      bufferFlushInterval: 100,
      globalTags: dog ? [...tags] : [],
      errorHandler: (e) => {
        // UDP to a collector that is down fails every send: say it once, not per metric.
        if (!warned) log.warn('statsd send failed', { address, error: e });
        warned = true;
      },
    });
    this.timer = setInterval(() => this.flushGauges(), GAUGE_FLUSH_MS);
    this.timer.unref();
  }

  emit(kind: MetricKind, name: string, value: number, labels: MetricLabels): void {
    const [key, tags] = this.shape(name, labels);
    if (kind === 'counter') this.client.increment(key, value, tags);
    else if (kind === 'sample') this.client.timing(key, value, tags);
    else this.client.gauge(key, value, tags);
  }

  flushGauges(): void {
    for (const g of this.reader.collect().gauges) this.emit('gauge', g.name, g.value, g.labels);
  }

  close(): Promise<void> {
    clearInterval(this.timer);
    return new Promise((resolve) => this.client.close(() => resolve()));
  }

  private shape(name: string, labels: MetricLabels): [string, string[] | undefined] {
    const entries = Object.entries(labels);
    if (entries.length === 0) return [clean(name), undefined];
    if (this.dog) return [clean(name), entries.map(([k, v]) => `${k}:${v}`)];
    return [clean([name, ...entries.map(([, v]) => v)].join('.')), undefined];
  }
}

/** StatsD's line format reserves ':', '|' and '@'; go-metrics replaces them (and spaces) with '_'. */
function clean(name: string): string {
  return name.replace(/[:|@\s]/g, '_');
}

/** The sinks `telemetry {}` asks for, attached to the registry; returns the function that detaches and closes them. */
export function startStatsdSinks(
  t: TelemetryOptions,
  registry: MetricsRegistry,
  reader: MetricsReader,
  log: Logger,
): () => Promise<void> {
  const sinks: StatsdSink[] = [];
  if (t.statsdAddress) sinks.push(new StatsdSink(t.statsdAddress, false, [], reader, log));
  if (t.dogstatsdAddr) sinks.push(new StatsdSink(t.dogstatsdAddr, true, t.dogstatsdTags, reader, log));
  const offs = sinks.map((s) => registry.addSink(s));
  return async () => {
    for (const off of offs) off();
    await Promise.all(sinks.map((s) => s.close()));
  };
}
