import { expect } from 'chai';
import type { RocksDb, RowOp } from './rocks-binding.js';
import { WriteQueue } from './write-queue.js';

/** Stands in for the binding: records each batch and completes it when told to. */
function fakeDb() {
  const calls: { ops: RowOp[]; sync: boolean; done: (err?: Error) => void }[] = [];
  const db = {
    batch: (ops: RowOp[], opts: { sync: boolean }, cb: (err?: Error) => void) => {
      calls.push({ ops, sync: opts.sync, done: cb });
    },
  } as unknown as RocksDb;
  return { db, calls };
}
const op = (k: string): RowOp => ({ type: 'put', key: Buffer.from(k), value: Buffer.from('v') });
const tick = () => new Promise((r) => setImmediate(r));

describe('WriteQueue (group commit)', () => {
  it('merges batches queued behind an in-flight write into one write, in call order', async () => {
    const { db, calls } = fakeDb();
    const q = new WriteQueue(db);
    const acks: number[] = [];
    const ps = Array.from({ length: 16 }, (_, i) => q.submit([op(`k${i}`)], i === 9).then(() => acks.push(i)));
    await tick();
    expect(calls).to.have.length(1);
    expect(calls[0]!.ops.map((o) => o.key.toString())).to.deep.equal(['k0']);
    expect(calls[0]!.sync).to.equal(false);
    calls[0]!.done();
    await tick();
    expect(calls).to.have.length(2);
    expect(calls[1]!.ops.map((o) => o.key.toString())).to.deep.equal(Array.from({ length: 15 }, (_, i) => `k${i + 1}`));
    expect(calls[1]!.sync, 'one durable member makes the merged write durable').to.equal(true);
    expect(acks).to.deep.equal([0]);
    calls[1]!.done();
    await Promise.all(ps);
    expect(acks).to.deep.equal(Array.from({ length: 16 }, (_, i) => i));
  });

  it('rejects every member of a failed merged write, and keeps going afterwards', async () => {
    const { db, calls } = fakeDb();
    const q = new WriteQueue(db);
    const first = q.submit([op('a')], true);
    const a = q.submit([op('b')], true);
    const b = q.submit([op('c')], true);
    await tick();
    calls[0]!.done();
    await first;
    await tick();
    calls[1]!.done(new Error('IO error: disk full'));
    const results = await Promise.allSettled([a, b]);
    expect(results.map((r) => r.status)).to.deep.equal(['rejected', 'rejected']);
    const c = q.submit([op('d')], false);
    await tick();
    calls[2]!.done();
    await c;
  });

  it('starts no write while quiesced and drains everything before drain() resolves', async () => {
    const { db, calls } = fakeDb();
    const q = new WriteQueue(db);
    const w1 = q.submit([op('a')], false);
    await tick();
    let inside = false;
    const held = q.quiesced(() => {
      inside = true;
      return calls.length;
    });
    const w2 = q.submit([op('b')], false);
    await tick();
    expect(inside, 'waits for the in-flight write').to.equal(false);
    calls[0]!.done();
    expect(await held).to.equal(1); // w2 did not start while held
    await tick();
    expect(calls).to.have.length(2);
    let drained = false;
    const d = q.drain().then(() => (drained = true));
    await tick();
    expect(drained).to.equal(false);
    calls[1]!.done();
    await Promise.all([w1, w2, d]);
  });
});
