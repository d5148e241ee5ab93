import type { RaftSnapshotStore } from './raft-snapshot-store.js';

/** The raft configuration the snapshot store tests record: one voter. */
export const ONE_VOTER = { servers: [{ id: 'a', node: 'a', address: 'a', suffrage: 'voter' as const }] };

export const filled = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill);

/** Every byte of the store's latest snapshot, in order. */
export async function readLatest(store: RaftSnapshotStore): Promise<number[]> {
  const out: number[] = [];
  for await (const chunk of store.read(store.latest()!)) out.push(...chunk);
  return out;
}
