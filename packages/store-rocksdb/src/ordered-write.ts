import { SYNC_MARK_KEY } from './key-space.js';
import { clearRange, writeBatch, type BatchOp, type RocksDb, type RowOp } from './rocks-binding.js';

/**
 * Applies one queued group of ops in order. Row ops go to RocksDB as atomic batches; a range
 * delete (`clear`) splits the group, runs after the rows before it and before the rows after
 * it. With `sync` the group ends with an fsync'd WAL record: the last row batch is written
 * synced, or, when the group ends with a clear (whose writes are unsynced), a synced delete of
 * SYNC_MARK_KEY follows it. RocksDB's WAL is written in order and recovered as a prefix, so
 * that fsync makes everything before it durable too.
 */
export function applyOps(db: RocksDb, ops: readonly BatchOp[], sync: boolean): Promise<void> {
  // The common group (no range delete) stays one binding call, with no async wrapper around it.
  if (!ops.some((op) => op.type === 'clear')) return writeBatch(db, ops as RowOp[], sync);
  return applyInSteps(db, ops, sync);
}

async function applyInSteps(db: RocksDb, ops: readonly BatchOp[], sync: boolean): Promise<void> {
  let rows: RowOp[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (op.type !== 'clear') {
      rows.push(op);
      continue;
    }
    if (rows.length > 0) await writeBatch(db, rows, false);
    rows = [];
    if (Buffer.compare(op.gte, op.lt) < 0) await clearRange(db, op.gte, op.lt);
  }
  if (rows.length > 0) await writeBatch(db, rows, sync);
  else if (sync) await writeBatch(db, [{ type: 'del', key: SYNC_MARK_KEY }], true);
}
