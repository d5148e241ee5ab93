import type { Coord, Coordinate } from '@proconsul/kernel';

/** The server RPC an agent (and `PUT /v1/coordinate/update`) sends one node's coordinate with. */
export const COORDINATE_UPDATE = 'Coordinate.Update';

/** Largest dimensionality accepted: serf uses 8; anything far beyond is not a coordinate. */
const MAX_DIMENSIONS = 64;

/**
 * The `{ Node, Segment?, Coord }` of an update, checked field by field (it comes from an
 * HTTP body or another agent), or a plain-text reason for a 400.
 */
export function parseCoordinateUpdate(args: unknown): Coordinate | string {
  if (typeof args !== 'object' || args === null) return 'Request body must be a JSON object';
  const a = args as Record<string, unknown>;
  if (typeof a.Node !== 'string' || a.Node === '') return 'Missing node name';
  if (a.Segment !== undefined && typeof a.Segment !== 'string') return 'Segment must be a string';
  const c = a.Coord as Record<string, unknown> | null | undefined;
  if (typeof c !== 'object' || c === null) return 'Missing Coord';
  const vec = c.Vec;
  if (!Array.isArray(vec) || vec.length === 0 || vec.length > MAX_DIMENSIONS || !vec.every(finite))
    return 'Coord.Vec must be a non-empty array of numbers';
  for (const k of ['Error', 'Adjustment', 'Height'] as const) if (!finite(c[k])) return `Coord.${k} must be a number`;
  const coord: Coord = {
    Vec: vec as number[],
    Error: c.Error as number,
    Adjustment: c.Adjustment as number,
    Height: c.Height as number,
  };
  return { Node: a.Node, Segment: (a.Segment as string | undefined) ?? '', Coord: coord };
}

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
