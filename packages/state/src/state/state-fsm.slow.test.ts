import { expect } from 'chai';
import { StateFsm } from './state-fsm.js';
import { StateStore } from './state-store.js';
import { text } from './state-test-fixtures.js';

describe('StateFsm at scale (slow)', function () {
  this.timeout(300_000);

  it('snapshots and restores 1,000,000 KV keys in bounded chunks while applies continue', async () => {
    const N = 1_000_000;
    const store = new StateStore();
    for (let i = 0; i < N; i++) store.apply(i + 1, { v: 1, type: 'kv-set', Key: `k/${i}`, Value: Buffer.from(String(i)) });
    const fsm = new StateFsm(store);
    const snap = fsm.snapshot();
    expect(snap.index).to.equal(N);
    // Writes after the snapshot must not leak into it.
    store.apply(N + 1, { v: 1, type: 'kv-set', Key: 'k/0', Value: Buffer.from('changed') });
    store.apply(N + 2, { v: 1, type: 'kv-delete', Key: 'k/1' });
    const chunks: Uint8Array[] = [];
    let largest = 0;
    for await (const c of snap.chunks()) {
      chunks.push(c);
      largest = Math.max(largest, c.length);
    }
    snap.release();
    expect(largest).to.be.lessThan(128 * 1024);
    const restored = new StateFsm(new StateStore());
    await restored.restore(
      (async function* () {
        yield* chunks;
      })(),
    );
    const kv = restored.store.kv;
    expect(restored.store.index).to.equal(N);
    expect(kv.list('k/').value.length).to.equal(N);
    expect(text(kv.get('k/0').value!.Value)).to.equal('0');
    expect(text(kv.get('k/1').value!.Value)).to.equal('1');
    expect(text(kv.get('k/999999').value!.Value)).to.equal('999999');
  });
});
