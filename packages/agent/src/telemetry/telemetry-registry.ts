import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { GaugeReading, MetricKind, MetricLabels, MetricsRegistry, MetricsSink } from '@proconsul/kernel';
import type { MetricsReader } from '@proconsul/kernel';
import type { MetricAggregate } from '@proconsul/kernel';
import { type AggregateSeries, type GaugeSeries, type MetricsCollection, type SampleSeries } from '@proconsul/kernel';
import { DEFAULT_TELEMETRY, type TelemetryOptions } from '@proconsul/kernel';
import { SeriesTable } from './series-table.js';

/** Observations kept per sample series for its quantiles: enough for a p99, small enough to sort per scrape. */
const RESERVOIR = 1024;
const QUANTILES = [0.5, 0.9, 0.99] as const;
const NO_LABELS: MetricLabels = Object.freeze({});
/**
 * Names the prefixed form is kept for. Metric names come from code (a route, a command
 * type), so they are a few hundred; the cap only bounds a caller that built names from data.
 */
const MAX_CACHED_NAMES = 4096;

/** go-metrics' AggregateSample, updated in place: an observation allocates nothing. */
interface MutableAggregate {
  count: number;
  sum: number;
  min: number;
  max: number;
  sumSq: number;
}

interface Series {
  readonly name: string;
  readonly labels: MetricLabels;
  updatedAt: number;
}
interface AggSeries extends Series {
  readonly aggregate: MutableAggregate;
}
interface SampleState extends AggSeries {
  readonly recent: number[];
  next: number;
}
interface GaugeState extends Series {
  value: number;
}

/**
 * The agent's metrics: cumulative counters and samples (a scraper derives rates), gauges
 * pushed or read from sources at collection time, and fan-out to sinks. Like go-metrics'
 * global metrics object, it adds the prefix (and the host name to gauges) once, so every
 * reporter uses Consul's bare names.
 */
export class TelemetryRegistry implements MetricsRegistry, MetricsReader {
  readonly startedAt = Date.now();
  readonly options: TelemetryOptions;
  private readonly counters = new SeriesTable<AggSeries>();
  private readonly samples = new SeriesTable<SampleState>();
  private readonly gauges = new SeriesTable<GaugeState>();
  private readonly sources = new Set<() => Iterable<GaugeReading>>();
  private readonly sinks = new Set<MetricsSink>();
  private readonly gaugePrefix: string;
  private readonly fullNames = new Map<string, string>();

  constructor(options: Partial<TelemetryOptions> = {}, host: string = hostname()) {
    this.options = { ...DEFAULT_TELEMETRY, ...options };
    const p = this.options.metricsPrefix;
    const join = (...parts: string[]) => parts.filter((x) => x !== '').join('.');
    this.gaugePrefix = this.options.disableHostname ? join(p) : join(p, host);
  }

  get prometheusRetentionMs(): number {
    return this.options.prometheusRetentionMs;
  }

  // Observations run several times per HTTP request and per raft commit: they update the
  // series in place, so the hot paths allocate nothing here (bench:kv-costs' heap per request).
  incrCounter(name: string, value = 1, labels: MetricLabels = NO_LABELS): void {
    const full = this.full(name);
    const s = this.counters.get(full, labels);
    if (s) {
      observe(s.aggregate, value);
      s.updatedAt = Date.now();
    } else this.counters.set(full, labels, { name: full, labels, updatedAt: Date.now(), aggregate: firstObservation(value) });
    if (this.sinks.size > 0) this.toSinks('counter', full, value, labels);
  }

  addSample(name: string, value: number, labels: MetricLabels = NO_LABELS): void {
    const full = this.full(name);
    const s = this.samples.get(full, labels);
    if (s) {
      observe(s.aggregate, value);
      s.updatedAt = Date.now();
      s.recent[s.next % RESERVOIR] = value;
      s.next++;
    } else
      this.samples.set(full, labels, {
        name: full,
        labels,
        updatedAt: Date.now(),
        aggregate: firstObservation(value),
        recent: [value],
        next: 1,
      });
    if (this.sinks.size > 0) this.toSinks('sample', full, value, labels);
  }

  measureSince(name: string, startMs: number, labels?: MetricLabels): void {
    this.addSample(name, performance.now() - startMs, labels);
  }

  setGauge(name: string, value: number, labels: MetricLabels = NO_LABELS): void {
    const full = this.gaugeName(name);
    const s = this.gauges.get(full, labels);
    if (s) {
      s.value = value;
      s.updatedAt = Date.now();
    } else this.gauges.set(full, labels, { name: full, labels, updatedAt: Date.now(), value });
    if (this.sinks.size > 0) this.toSinks('gauge', full, value, labels);
  }

  addGaugeSource(source: () => Iterable<GaugeReading>): () => void {
    this.sources.add(source);
    return () => this.sources.delete(source);
  }

  addSink(sink: MetricsSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  /** Legacy entry points of AgentMetrics: full names ("consul.agent.…"), prefix replaced by the configured one. */
  incr(name: string, by = 1): void {
    this.incrCounter(name.replace(/^consul\./, ''), by);
  }
  sample(name: string, value: number): void {
    this.addSample(name.replace(/^consul\./, ''), value);
  }

  /**
   * Read every series. Gauge sources are read now; `maxAgeMs` (Prometheus retention)
   * leaves out pushed series not updated within it, as Consul's Prometheus sink expires them.
   */
  collect(maxAgeMs = 0): MetricsCollection {
    const now = Date.now();
    const fresh = (s: Series) => maxAgeMs <= 0 || now - s.updatedAt <= maxAgeMs;
    const gauges: GaugeSeries[] = [];
    for (const g of this.gauges.values()) if (fresh(g)) gauges.push({ name: g.name, labels: g.labels, value: g.value });
    for (const source of this.sources) {
      try {
        for (const r of source()) gauges.push({ name: this.gaugeName(r.name), labels: r.labels ?? NO_LABELS, value: r.value });
      } catch {
        // A failing source (a component stopping) must not break the scrape.
      }
    }
    const counters: AggregateSeries[] = [];
    for (const c of this.counters.values())
      if (fresh(c)) counters.push({ name: c.name, labels: c.labels, aggregate: { ...c.aggregate } });
    const samples: SampleSeries[] = [];
    for (const s of this.samples.values()) {
      if (!fresh(s)) continue;
      const sorted = [...s.recent].sort((a, b) => a - b);
      const quantiles = QUANTILES.map((q) => [q, sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!] as const);
      samples.push({ name: s.name, labels: s.labels, aggregate: { ...s.aggregate }, quantiles });
    }
    return { gauges, counters, samples };
  }

  /** Gauge readings for sinks that flush periodically (StatsD): the sources' current values. */
  readSources(): GaugeSeries[] {
    const out: GaugeSeries[] = [];
    for (const source of this.sources) {
      try {
        for (const r of source()) out.push({ name: this.gaugeName(r.name), labels: r.labels ?? NO_LABELS, value: r.value });
      } catch {
        // as in collect()
      }
    }
    return out;
  }

  /** Unlabelled aggregates by full name (the first shape of MetricsReader). */
  snapshot(): { counters: ReadonlyMap<string, MetricAggregate>; samples: ReadonlyMap<string, MetricAggregate> } {
    const pick = (m: SeriesTable<AggSeries>) =>
      new Map(
        [...m.values()]
          .filter((s) => Object.keys(s.labels).length === 0)
          .map((s): [string, MetricAggregate] => [s.name, { ...s.aggregate }]),
      );
    return { counters: pick(this.counters), samples: pick(this.samples) };
  }

  private full(name: string): string {
    const prefix = this.options.metricsPrefix;
    if (!prefix) return name;
    let full = this.fullNames.get(name);
    if (full === undefined) {
      full = `${prefix}.${name}`;
      if (this.fullNames.size < MAX_CACHED_NAMES) this.fullNames.set(name, full);
    }
    return full;
  }

  private gaugeName(name: string): string {
    return this.gaugePrefix ? `${this.gaugePrefix}.${name}` : name;
  }

  private toSinks(kind: MetricKind, name: string, value: number, labels: MetricLabels): void {
    for (const sink of this.sinks) {
      try {
        sink.emit(kind, name, value, labels);
      } catch {
        // A sink's failure (a full socket buffer) never reaches the code being measured.
      }
    }
  }
}

function firstObservation(v: number): MutableAggregate {
  return { count: 1, sum: v, min: v, max: v, sumSq: v * v };
}

function observe(a: MutableAggregate, v: number): void {
  a.count++;
  a.sum += v;
  if (v < a.min) a.min = v;
  if (v > a.max) a.max = v;
  a.sumSq += v * v;
}
