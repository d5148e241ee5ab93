/**
 * Tunables of serf's Vivaldi variant (serf coordinate.DefaultConfig; Consul uses these
 * unchanged). Times are seconds, as in serf, so coordinates we emit are interchangeable
 * with Consul's on the wire and in /v1/coordinate/*.
 */
export interface VivaldiConfig {
  readonly dimensionality: number;
  /** Upper bound of a node's error estimate; also the estimate of a fresh node. */
  readonly errorMax: number;
  /** Largest share of a sample's wrongness folded into the error estimate. */
  readonly ce: number;
  /** Largest share of a sample's error applied as force on the coordinate. */
  readonly cc: number;
  /** Samples averaged into the adjustment term (0 disables it). */
  readonly adjustmentWindowSize: number;
  /** Smallest height (seconds): the last hop latency can never be zero. */
  readonly heightMin: number;
  /** Samples per peer the moving-median latency filter keeps. */
  readonly latencyFilterSize: number;
  /** Distance from the origin (seconds) at which gravity pulls back with unit force. */
  readonly gravityRho: number;
}

export const DEFAULT_VIVALDI_CONFIG: VivaldiConfig = {
  dimensionality: 8,
  errorMax: 1.5,
  ce: 0.25,
  cc: 0.25,
  adjustmentWindowSize: 20,
  heightMin: 10e-6,
  latencyFilterSize: 3,
  gravityRho: 150.0,
};
