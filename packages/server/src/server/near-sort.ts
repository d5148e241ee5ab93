import { coordDistance } from '@proconsul/kernel';
import type { QueryResult, StateReaders } from '@proconsul/state';

/**
 * `?near=<node>` (Consul's sortNodesByDistanceFrom): results ordered by the estimated RTT
 * from `near`'s coordinate to each result's node; results whose node has no coordinate go
 * last in their original order, and without a coordinate for `near` nothing moves. Runs
 * where the query runs, on a server. Coordinates are read without a watch: a batch of
 * coordinate updates every few seconds must not wake every blocking `?near` query.
 */
export function sortByNear<T>(
  r: StateReaders,
  near: string | undefined,
  res: QueryResult<T[]>,
  nodeOf: (item: T) => string,
): QueryResult<T[]> {
  if (!near) return res;
  const from = segmentZero(r, near);
  if (!from) return res;
  const dist = new Map<string, number>();
  const distanceTo = (node: string): number => {
    let d = dist.get(node);
    if (d === undefined) {
      const c = node === near ? from : segmentZero(r, node);
      // The near node itself is 0 away: serf's formula would give it twice its height,
      // which on a LAN can exceed a neighbour's estimate and put it second.
      d = node === near ? 0 : c ? coordDistance(from, c) : Number.POSITIVE_INFINITY;
      dist.set(node, d);
    }
    return d;
  };
  // Array.prototype.sort is stable: ties and coordinate-less nodes keep their order.
  const value = [...res.value].sort((a, b) => {
    const da = distanceTo(nodeOf(a));
    const db = distanceTo(nodeOf(b));
    return da === db ? 0 : da < db ? -1 : 1;
  });
  return { index: res.index, value };
}

function segmentZero(r: StateReaders, node: string) {
  return r.coordinates.node(node).value.find((c) => c.Segment === '')?.Coord;
}
