import type { MetricLabels } from '@proconsul/kernel';

/** Label sets' keys by object: callers on hot paths pass one constant labels object per series. */
const labelKeys = new WeakMap<MetricLabels, string>();

/**
 * The key of a label set: its pairs in key order, so `{a, b}` and `{b, a}` name one series.
 * Cached per object, so a caller that reuses its labels object (a route's, a peer's) pays
 * for building the key once.
 */
export function labelKey(labels: MetricLabels): string {
  let key = labelKeys.get(labels);
  if (key !== undefined) return key;
  key = '';
  for (const k of Object.keys(labels).sort()) key += `\u0000${k}=${labels[k]}`;
  labelKeys.set(labels, key);
  return key;
}

/**
 * Series by name, then by label set. Two levels rather than one `name + labels` string, so
 * looking up the series of an observation builds no string: the name is usually a constant
 * and the label key is cached per labels object.
 */
export class SeriesTable<S> {
  private readonly byName = new Map<string, Map<string, S>>();

  get(name: string, labels: MetricLabels): S | undefined {
    return this.byName.get(name)?.get(labelKey(labels));
  }

  set(name: string, labels: MetricLabels, series: S): void {
    let byLabels = this.byName.get(name);
    if (!byLabels) this.byName.set(name, (byLabels = new Map()));
    byLabels.set(labelKey(labels), series);
  }

  *values(): IterableIterator<S> {
    for (const byLabels of this.byName.values()) yield* byLabels.values();
  }
}
