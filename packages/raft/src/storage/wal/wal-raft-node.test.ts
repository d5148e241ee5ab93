import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogEntry } from '../../core/messages.js';
import { SimDisk, realTimeScheduler } from '../../sim/sim-store.js';
import { SimFsm } from '../../sim/sim-fsm.js';
import { Prng } from '../../sim/prng.js';
import { openTestNode } from '../../sim/test-node.js';
import { KvSnapshotStore } from '../snapshot-store.js';
import { WalLogStore } from './wal-log-store.js';

const SELF = { id: 'n1', node: 'n1', address: 'n1:1', suffrage: 'voter' as const };

describe('RaftNode over the wal backend', function () {
  this.timeout(10_000);
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wal-node-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('starts and commits when the stored log ends before its snapshot (a crash before the old log was dropped)', async () => {
    const engine = new SimDisk(realTimeScheduler, new Prng(5), [0, 0]).engine();
    // A snapshot at index 50 of term 2 that this server installed...
    const snapshots = await engine.open('raft-snapshots');
    const store = await KvSnapshotStore.open(snapshots, 1024);
    const fsm = new SimFsm();
    const sink = store.create(50, 2, { servers: [SELF] });
    for await (const c of fsm.snapshot().chunks()) await sink.write(c);
    expect(await sink.commit()).to.not.equal(undefined);
    // ...and the log it had before, entries 1..10, still on disk.
    const stale = await WalLogStore.open(join(dir, 'wal'), { segmentBytes: 4096 });
    await stale.append(Array.from({ length: 10 }, (_, i): LogEntry => ({ index: i + 1, term: 1, kind: 'noop' })));
    await stale.close();

    const log = await WalLogStore.open(join(dir, 'wal'), { segmentBytes: 4096 });
    const node = await openTestNode({ log, stable: await engine.open('raft-stable'), snapshots });
    node.start();
    try {
      const deadline = Date.now() + 5000;
      while (node.role !== 'leader' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(node.role).to.equal('leader');
      const r = await node.apply(SimFsm.command('k', 'v'), 3000);
      expect(r.index).to.be.greaterThan(50);
      await node.durable();
    } finally {
      node.stop();
    }
    await log.close();
    const reopened = await WalLogStore.open(join(dir, 'wal'), { segmentBytes: 4096 });
    const back = await reopened.loadAll();
    await reopened.close();
    expect(back[0]!.index).to.equal(51);
    expect(back.some((e) => e.index <= 10)).to.equal(false);
  });
});
