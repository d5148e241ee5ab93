import { expect } from 'chai';
import { Prng } from '../sim/prng.js';
import { SimDisk, realTimeScheduler } from '../sim/sim-store.js';
import { KvSnapshotStore } from './snapshot-store.js';
import { filled, ONE_VOTER, readLatest } from './snapshot-test-support.js';

describe('raft snapshot store', () => {
  it('a crash before commit leaves the previous snapshot whole and the new chunks gone', async () => {
    const disk = new SimDisk(realTimeScheduler, new Prng(7), [0, 1]);
    let store = await KvSnapshotStore.open(await disk.engine().open('raft-snapshots'), 4);
    const first = store.create(10, 1, ONE_VOTER);
    await first.write(filled(10, 1));
    expect(await first.commit()).to.include({ index: 10, chunks: 3 });
    const second = store.create(20, 1, ONE_VOTER);
    await second.write(filled(10, 2)); // chunks written unsynced; no commit
    disk.crash();
    store = await KvSnapshotStore.open(await disk.engine().open('raft-snapshots'), 4);
    expect(store.latest()).to.include({ index: 10 });
    expect(await readLatest(store)).to.deep.equal(Array(10).fill(1));
  });

  it("a committed snapshot's chunks survive a crash though none was synced on its own", async () => {
    const disk = new SimDisk(realTimeScheduler, new Prng(8), [0, 1]);
    let store = await KvSnapshotStore.open(await disk.engine().open('raft-snapshots'), 4);
    const sink = store.create(30, 2, ONE_VOTER);
    const before = disk.durableWrites;
    for (let i = 0; i < 5; i++) await sink.write(filled(9, i));
    expect(disk.durableWrites - before, 'fsyncs while writing chunks').to.equal(0);
    await sink.commit();
    expect(disk.durableWrites - before, 'fsyncs in all').to.equal(1);
    disk.crash();
    store = await KvSnapshotStore.open(await disk.engine().open('raft-snapshots'), 4);
    expect(store.latest()).to.include({ index: 30, term: 2, chunks: 15 });
    expect(await readLatest(store)).to.deep.equal([0, 1, 2, 3, 4].flatMap((i) => Array(9).fill(i)));
  });

  it('concurrent commits never let an older snapshot replace a newer one', async () => {
    const disk = new SimDisk(realTimeScheduler, new Prng(9), [0, 1]);
    let store = await KvSnapshotStore.open(await disk.engine().open('raft-snapshots'), 4);
    // Our own snapshot and one a leader sent, committing at the same time.
    const newer = store.create(40, 1, ONE_VOTER);
    const older = store.create(30, 1, ONE_VOTER);
    await newer.write(filled(4, 4));
    await older.write(filled(4, 3));
    const [a, b] = await Promise.all([newer.commit(), older.commit()]);
    expect([a?.index, b]).to.deep.equal([40, undefined]);
    expect(store.latest()).to.include({ index: 40 });
    disk.crash();
    store = await KvSnapshotStore.open(await disk.engine().open('raft-snapshots'), 4);
    expect(store.latest()).to.include({ index: 40 });
    expect(await readLatest(store)).to.deep.equal([4, 4, 4, 4]);
  });
});
