/** Aggregate of one counter or sample series (go-metrics' AggregateSample). */
export interface MetricAggregate {
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  /** Sum of squares, for the standard deviation. */
  readonly sumSq: number;
}

export function addToAggregate(a: MetricAggregate | undefined, v: number): MetricAggregate {
  return a
    ? { count: a.count + 1, sum: a.sum + v, min: Math.min(a.min, v), max: Math.max(a.max, v), sumSq: a.sumSq + v * v }
    : { count: 1, sum: v, min: v, max: v, sumSq: v * v };
}
