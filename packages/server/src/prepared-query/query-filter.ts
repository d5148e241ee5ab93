import { coordDistance, type CheckServiceNode, type Coordinate, type PreparedQueryService } from '@proconsul/kernel';

/**
 * Consul's health rule for a query: an instance with a critical check (one not in
 * IgnoreCheckIDs) is dropped; with OnlyPassing, one with a warning too.
 */
function healthy(e: CheckServiceNode, svc: PreparedQueryService): boolean {
  for (const c of e.Checks) {
    if (svc.IgnoreCheckIDs.includes(c.CheckID)) continue;
    if (c.Status === 'critical' || c.Status === 'maintenance') return false;
    if (svc.OnlyPassing && c.Status !== 'passing') return false;
  }
  return true;
}

/** Every tag must be on the instance, every `!tag` must not; case-insensitive, as Consul compares. */
function tagsMatch(tags: readonly string[], wanted: readonly string[]): boolean {
  if (!wanted.length) return true;
  const have = new Set(tags.map((t) => t.toLowerCase()));
  for (const w of wanted) {
    const lower = w.toLowerCase();
    if (lower.startsWith('!') ? have.has(lower.slice(1)) : !have.has(lower)) return false;
  }
  return true;
}

function metaMatch(meta: Readonly<Record<string, string>> | undefined, wanted: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(wanted)) if (meta?.[k] !== v) return false;
  return true;
}

/** The instances a query keeps, in their original order. */
export function filterInstances(all: readonly CheckServiceNode[], svc: PreparedQueryService): CheckServiceNode[] {
  return all.filter(
    (e) =>
      healthy(e, svc) &&
      tagsMatch(e.Service.Tags ?? [], svc.Tags) &&
      metaMatch(e.Node.Meta, svc.NodeMeta) &&
      metaMatch(e.Service.Meta, svc.ServiceMeta),
  );
}

/** Fisher-Yates with an injectable random source (tests pin it). */
export function shuffle<T>(items: T[], random: () => number = Math.random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * Sort by estimated round-trip time from `near` (stable, so instances on nodes without a
 * coordinate keep their shuffled order, after those with one). Without a coordinate for
 * `near` the order is left as it is.
 */
export function sortByDistance(items: CheckServiceNode[], near: string, coords: readonly Coordinate[]): CheckServiceNode[] {
  const byNode = new Map(coords.filter((c) => c.Segment === '' || c.Segment === undefined).map((c) => [c.Node, c.Coord]));
  const from = byNode.get(near);
  if (!near || !from) return items;
  const rtt = (e: CheckServiceNode) => {
    const to = byNode.get(e.Node.Node);
    return to ? coordDistance(from, to) : Number.POSITIVE_INFINITY;
  };
  const keyed = items.map((e, i) => ({ e, i, d: rtt(e) }));
  keyed.sort((a, b) => (a.d === b.d ? a.i - b.i : a.d < b.d ? -1 : 1));
  return keyed.map((k) => k.e);
}
