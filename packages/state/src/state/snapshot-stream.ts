import { FrameWriter, FRAME_TARGET_BYTES } from './snapshot-frames.js';
import { snapshotRecords, SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type SnapshotHeader } from './snapshot-records.js';
import type { StateTables } from './state-tables.js';

/**
 * Frozen `tables` at `index` as snapshot frames (~64 KiB each, the header alone first),
 * generated while iterating: memory stays O(frame). Raft snapshots and user images share it.
 */
export function* snapshotFrames(tables: StateTables, index: number): Generator<Uint8Array> {
  const writer = new FrameWriter();
  const header: SnapshotHeader = { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, index };
  writer.add(header);
  yield writer.flush()!;
  for (const rec of snapshotRecords(tables)) {
    if (Array.isArray(rec)) writer.add(rec);
    else writer.addKv(rec);
    if (writer.bytes >= FRAME_TARGET_BYTES) yield writer.flush()!;
  }
  const last = writer.flush();
  if (last) yield last;
}
