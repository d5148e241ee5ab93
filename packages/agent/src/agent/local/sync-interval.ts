/** Consul's anti-entropy scaling: clusters up to this size sync at the base interval. */
export const SCALE_THRESHOLD = 128;

/** 1 up to 128 nodes, then one more per doubling (Consul's aeScale: 256 → 2, 512 → 3, …). */
export function scaleFactor(nodes: number): number {
  if (nodes <= SCALE_THRESHOLD) return 1;
  return Math.ceil(Math.log2(nodes) - Math.log2(SCALE_THRESHOLD)) + 1;
}

/**
 * Wait before the next full sync: the base interval plus a random stagger of up to the
 * interval scaled by cluster size (Consul: Interval + RandomStagger(scale × Interval)), so
 * large clusters load the servers less and agents started together drift apart.
 */
export function fullSyncDelay(baseMs: number, nodes: number, random: () => number): number {
  return baseMs + Math.floor(random() * baseMs * scaleFactor(nodes));
}
