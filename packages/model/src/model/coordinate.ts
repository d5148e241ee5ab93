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
