import type { MetricLabels } from '@proconsul/kernel';

/** Keys of frozen label sets: callers on hot paths pass one frozen labels object per series. */
const labelKeys = new WeakMap<MetricLabels, string>();

/**
 * The key of a label set: its pairs in key order, so `{a, b}` and `{b, a}` name one series.
 * Cached for a frozen labels object (a route's, a raft peer's, NO_LABELS), which its caller
 * reuses, so the key is built once. A literal made per call is not cached: a weak-map entry
 * per observation would cost the garbage collector more than building the key.
 */
export function labelKey(labels: MetricLabels): string {
  const frozen = Object.isFrozen(labels);
  let key = frozen ? labelKeys.get(labels) : undefined;
  if (key !== undefined) return key;
  key = '';
  for (const k of Object.keys(labels).sort()) key += `\u0000${k}=${labels[k]}`;
  if (frozen) labelKeys.set(labels, key);
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
