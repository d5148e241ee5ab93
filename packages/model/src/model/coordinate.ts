/** A Vivaldi network coordinate (Consul's coordinate.Coordinate). */
export interface Coord {
  Vec: number[];
  Error: number;
  Adjustment: number;
  Height: number;
}

/** A node's coordinate, as `/v1/coordinate/nodes` returns it. */
export interface Coordinate {
  Node: string;
  /** Network segment; '' for the default one. */
  Segment: string;
  Coord: Coord;
}

/**
 * Estimated round-trip time between two coordinates, in seconds (serf's DistanceTo):
 * Euclidean distance plus both heights, plus both adjustments when that stays positive
 * (an adjustment may not make a distance negative). Pure, so the server, the HTTP
 * frontend (`?near`) and the CLI (`rtt`) share one definition.
 */
export function coordDistance(a: Coord, b: Coord): number {
  let sum = 0;
  const n = Math.min(a.Vec.length, b.Vec.length);
  for (let i = 0; i < n; i++) sum += (a.Vec[i]! - b.Vec[i]!) ** 2;
  const raw = Math.sqrt(sum) + a.Height + b.Height;
  const adjusted = raw + a.Adjustment + b.Adjustment;
  return adjusted > 0 ? adjusted : raw;
}
