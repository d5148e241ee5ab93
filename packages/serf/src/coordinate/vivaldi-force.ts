import type { Coord } from '@proconsul/kernel';
import type { VivaldiConfig } from './vivaldi-config.js';

/** Below this, a magnitude or RTT counts as zero (avoids dividing by it). */
export const ZERO_THRESHOLD = 1e-6;

/** Distance without the adjustment terms (what the adjustment window itself measures). */
export function rawDistance(a: Coord, b: Coord): number {
  let sum = 0;
  for (let i = 0; i < a.Vec.length; i++) sum += (a.Vec[i]! - b.Vec[i]!) ** 2;
  return Math.sqrt(sum) + a.Height + b.Height;
}

/**
 * Unit vector from `to` towards `from`, and the distance between them. Two nodes at the
 * same spot are pushed apart in a random direction, or they would never separate.
 */
function unitVectorAt(from: number[], to: number[], random: () => number): [number[], number] {
  const d = from.map((v, i) => v - to[i]!);
  const mag = Math.hypot(...d);
  if (mag > ZERO_THRESHOLD) return [d.map((v) => v / mag), mag];
  const r = d.map(() => random() - 0.5);
  const rmag = Math.hypot(...r);
  return [rmag > ZERO_THRESHOLD ? r.map((v) => v / rmag) : r.map(() => 0), 0];
}

/**
 * `c` moved by `force` seconds along the line away from `other` (negative: towards it).
 * The height takes its share of the force in proportion to its part of the distance, so
 * an access-link delay ends up in the height rather than stretching the plane.
 */
export function applyForce(cfg: VivaldiConfig, c: Coord, force: number, other: Coord, random: () => number): Coord {
  const [unit, mag] = unitVectorAt(c.Vec, other.Vec, random);
  const vec = c.Vec.map((v, i) => v + unit[i]! * force);
  let height = c.Height;
  if (mag > ZERO_THRESHOLD) height = Math.max(((c.Height + other.Height) * force) / mag + c.Height, cfg.heightMin);
  return { Vec: vec, Error: c.Error, Adjustment: c.Adjustment, Height: height };
}

/** A coordinate that arithmetic has broken (NaN/Infinity) must be reset, not spread. */
export function isValidCoord(c: Coord): boolean {
  return [...c.Vec, c.Error, c.Adjustment, c.Height].every(Number.isFinite);
}

/** Peers' coordinates must match our dimensionality, or distances are meaningless. */
export function isCompatible(a: Coord, b: Coord): boolean {
  return a.Vec.length === b.Vec.length;
}
