/** Estimated round-trip time to a datacenter in ms; undefined when unknown. */
export type DatacenterDistance = (dc: string) => number | undefined;

/**
 * Consul's order for `/v1/catalog/datacenters`: nearest first by estimated round-trip time,
 * then by name. Without a distance (no WAN coordinates yet) the order is by name alone; a
 * datacenter with an unknown distance sorts after every known one. This is the seam the
 * WAN coordinates plug into.
 */
export function sortDatacenters(dcs: Iterable<string>, distance?: DatacenterDistance): string[] {
  const list = [...new Set(dcs)];
  const d = (dc: string) => distance?.(dc) ?? Number.POSITIVE_INFINITY;
  return list.sort((a, b) => {
    const da = d(a);
    const db = d(b);
    if (da !== db) return da < db ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}
