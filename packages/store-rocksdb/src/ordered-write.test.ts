import { expect } from 'chai';
import { SYNC_MARK_KEY } from './key-space.js';
import { applyOps } from './ordered-write.js';
import type { BatchOp, RocksDb, RowOp } from './rocks-binding.js';

/** Stands in for the binding: records batches and clears in the order they run, completing each at once. */
function fakeDb() {
  const calls: string[] = [];
  const db = {
    batch: (ops: RowOp[], opts: { sync: boolean }, cb: (err?: Error) => void) => {
      calls.push(`batch ${ops.map((o) => o.key.toString()).join(',')}${opts.sync ? ' sync' : ''}`);
      setImmediate(cb);
    },
    clear: (o: { gte: Buffer; lt: Buffer }, cb: (err?: Error) => void) => {
      calls.push(`clear ${o.gte.toString()}..${o.lt.toString()}`);
      setImmediate(cb);
    },
  } as unknown as RocksDb;
  return { db, calls };
}
const put = (k: string): BatchOp => ({ type: 'put', key: Buffer.from(k), value: Buffer.from('v') });
const clear = (from: string, to: string): BatchOp => ({ type: 'clear', gte: Buffer.from(from), lt: Buffer.from(to) });

describe('applyOps (a queued group with range deletes)', () => {
  it('runs the rows before a range delete, then the range, then the rows after it, the last write synced', async () => {
    const { db, calls } = fakeDb();
    await applyOps(db, [put('a'), put('b'), clear('e1', 'e9'), put('e5'), put('z')], true);
    expect(calls).to.deep.equal(['batch a,b', 'clear e1..e9', 'batch e5,z sync']);
  });

  it('ends a durable group that ends with a range delete with a synced marker write; skips empty ranges', async () => {
    const { db, calls } = fakeDb();
    await applyOps(db, [clear('e1', 'e9'), clear('e9', 'e1')], true);
    expect(calls).to.deep.equal(['clear e1..e9', `batch ${SYNC_MARK_KEY.toString()} sync`]);
    calls.length = 0;
    await applyOps(db, [clear('e1', 'e9')], false);
    expect(calls, 'nothing to sync when not durable').to.deep.equal(['clear e1..e9']);
  });
});
