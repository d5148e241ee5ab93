import { expect } from 'chai';
import { planImportBatches, sendImportBatches, type ImportBatch, type ImportEntry } from './kv-import-batches.js';

const entry = (key: string, bytes = 1): ImportEntry => ({ key, flags: 0, value: Buffer.alloc(bytes, 7) });
const keys = (b: ImportBatch) => b.entries.map((e) => e.key);

describe('kv import batches', () => {
  it('cuts by operation count and by body size, keeping input order', () => {
    const many = Array.from({ length: 130 }, (_, i) => entry(`k${i}`));
    expect(planImportBatches(many).map((b) => b.entries.length)).to.deep.equal([64, 64, 2]);
    // 3 KiB values are ~4 KiB of base64: at most 2 fit a 10 KiB body.
    const sized = planImportBatches([entry('a', 3072), entry('b', 3072), entry('c', 3072)], 64, 10 * 1024);
    expect(sized.map(keys)).to.deep.equal([['a', 'b'], ['c']]);
    for (const b of sized) expect(Buffer.byteLength(b.kind === 'txn' ? b.body : '')).to.be.at.most(10 * 1024);
    const bodies = sized.map((b) => (b.kind === 'txn' ? (JSON.parse(b.body) as unknown[]).length : 0));
    expect(bodies).to.deep.equal([2, 1]);
  });

  it('a repeated key in a later batch waits for every earlier batch, so the last value wins', async () => {
    const plan = planImportBatches([entry('x'), entry('y'), entry('x'), entry('z')], 2);
    expect(plan.map((b) => [keys(b), b.afterEarlier])).to.deep.equal([
      [['x', 'y'], false],
      [['x', 'z'], true],
    ]);
    const order: string[] = [];
    await sendImportBatches(
      plan,
      8,
      async (b) => {
        order.push(`start ${keys(b).join()}`);
        // The first batch is the slow one: without the wait the second would finish first.
        await new Promise((r) => setTimeout(r, b.afterEarlier ? 1 : 30));
        order.push(`end ${keys(b).join()}`);
      },
      () => undefined,
    );
    expect(order).to.deep.equal(['start x,y', 'end x,y', 'start x,z', 'end x,z']);
  });

  it('reports written batches in order even when they finish out of order', async () => {
    const plan = planImportBatches(
      Array.from({ length: 5 }, (_, i) => entry(`k${i}`)),
      1,
    );
    const written: string[] = [];
    const failure = await sendImportBatches(
      plan,
      5,
      (b) => new Promise((r) => setTimeout(r, 50 - 10 * Number(b.entries[0]!.key.slice(1)))),
      (b) => written.push(...keys(b)),
    );
    expect(failure).to.equal(undefined);
    expect(written).to.deep.equal(['k0', 'k1', 'k2', 'k3', 'k4']);
  });
});
