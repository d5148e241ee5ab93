/** Aggregate of one counter or sample series (go-metrics' AggregateSample). */
export interface MetricAggregate {
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  /** Sum of squares, for the standard deviation. */
  readonly sumSq: number;
}
