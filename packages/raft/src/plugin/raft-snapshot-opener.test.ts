import { expect } from 'chai';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCoded, NullLogger, type KeyValueStore, type RuntimeConfig, type StorageEngine } from '@proconsul/kernel';
import { SimDisk, realTimeScheduler } from '../sim/sim-store.js';
import { SimFsm } from '../sim/sim-fsm.js';
import { Prng } from '../sim/prng.js';
import { SIM_RAFT_CONFIG } from '../sim/sim-cluster.js';
import { openTestNode } from '../sim/test-node.js';
import { isRaftSnapshotStore } from '../storage/raft-snapshot-store.js';
import { readLatest } from '../storage/snapshot-test-support.js';
import { KvSnapshotStore } from '../storage/snapshot-store.js';
import { openRaftSnapshots, snapshotDir } from './raft-snapshot-opener.js';

const SELF = { id: 'n1', node: 'n1', address: 'n1:1', suffrage: 'voter' as const };
const rc = (dataDir: string) => ({ dataDir }) as unknown as RuntimeConfig;

describe('openRaftSnapshots: raft snapshots as files under data_dir/raft/snapshots', function () {
  this.timeout(10_000);
  let dataDir: string;
  let disk: SimDisk;
  let engine: StorageEngine;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'raftsnap-open-'));
    disk = new SimDisk(realTimeScheduler, new Prng(3), [0, 0]);
    engine = disk.engine();
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps them in the engine when it is not durable (the memory engine, -dev)', async () => {
    const kept: KeyValueStore[] = [];
    const memory: StorageEngine = { kind: 'memory', durable: false, open: (n) => engine.open(n) };
    const s = await openRaftSnapshots(memory, rc(dataDir), new NullLogger(), 4, (kv) => kept.push(kv));
    expect(isRaftSnapshotStore(s)).to.equal(false);
    expect(kept).to.have.length(1);
    expect(await readdir(dataDir)).to.deep.equal([]);
  });

  it("moves a snapshot an older version kept in the engine's store to files, once", async () => {
    const kv = await engine.open('raft-snapshots');
    const legacy = await KvSnapshotStore.open(kv, 4);
    const sink = legacy.create(42, 3, { servers: [SELF] });
    await sink.write(Uint8Array.of(1, 2, 3, 4, 5, 6, 7));
    await sink.commit();
    await kv.close();

    const logged: string[] = [];
    const logger = Object.assign(new NullLogger(), { info: (m: string) => void logged.push(m) });
    const files = await openRaftSnapshots(engine, rc(dataDir), logger, 4, () => expect.fail('no engine store is kept'));
    expect(isRaftSnapshotStore(files)).to.equal(true);
    if (!isRaftSnapshotStore(files)) return;
    expect(files.latest()).to.deep.include({ index: 42, term: 3, chunks: 2 });
    expect(await readLatest(files)).to.deep.equal([1, 2, 3, 4, 5, 6, 7]);
    expect(logged.join('\n')).to.contain('moved the raft snapshot');
    expect(await readdir(snapshotDir(dataDir))).to.have.length(1);
    // The engine's copy is gone, durably: a crash now does not bring it back.
    disk.crash();
    const after = await engine.open('raft-snapshots');
    expect((await KvSnapshotStore.open(after, 4)).latest()).to.equal(undefined);
    await after.close();

    logged.length = 0;
    const again = await openRaftSnapshots(engine, rc(dataDir), logger, 4, () => {});
    expect(isRaftSnapshotStore(again) && again.latest()).to.deep.include({ index: 42 });
    expect(logged).to.deep.equal([]);
  });

  it('a server snapshots to files and restarts from them', async () => {
    const open = async (fsm: SimFsm) => {
      const snapshots = await openRaftSnapshots(
        engine,
        rc(dataDir),
        new NullLogger(),
        SIM_RAFT_CONFIG.snapshotChunkBytes,
        () => {},
      );
      const stores = { log: await engine.open('raft-log'), stable: await engine.open('raft-stable'), snapshots };
      const close = () => Promise.all([stores.log.close(), stores.stable.close()]);
      const node = await openTestNode(stores, { fsm }).catch(async (err: unknown) => {
        await close();
        throw err;
      });
      return { node, close };
    };
    const firstFsm = new SimFsm();
    const first = await open(firstFsm);
    await first.node.bootstrap({ servers: [SELF] });
    first.node.start();
    const deadline = Date.now() + 5000;
    while (first.node.role !== 'leader' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    // SIM_RAFT_CONFIG snapshots every ~1,200 bytes of commands: these take several.
    for (let i = 0; i < 200; i++) await first.node.apply(SimFsm.command(`k${i % 50}`, `v${i}`), 3000);
    while (first.node.log.snapshotIndex < 150 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(first.node.log.snapshotIndex).to.be.greaterThan(150);
    await first.node.durable();
    first.node.stop();
    await first.close();
    const dirs = await readdir(snapshotDir(dataDir));
    expect(dirs, 'hashicorp/raft keeps two').to.have.length(2);

    const fsm = new SimFsm();
    const second = await open(fsm);
    expect(fsm.restores).to.equal(1);
    expect(second.node.lastApplied, 'restored from the snapshot').to.be.greaterThan(150);
    second.node.start();
    const lastIndex = second.node.log.lastIndex();
    while (second.node.lastApplied < lastIndex && Date.now() < deadline + 5000) await new Promise((r) => setTimeout(r, 10));
    expect([...fsm.state].sort()).to.deep.equal([...firstFsm.state].sort());
    second.node.stop();
    await second.close();

    // Both snapshots damaged: the log no longer reaches back to a usable one, and starting
    // would forget acknowledged writes, so the server refuses with a reason.
    for (const d of await readdir(snapshotDir(dataDir))) await writeFile(join(snapshotDir(dataDir), d, 'state.bin'), 'x');
    const refused = await open(new SimFsm()).catch((e: unknown) => e);
    expect(isCoded(refused, 'RAFT_LOG_GAP'), String(refused)).to.equal(true);
    expect(String(refused)).to.contain('restores from the leader');
  });
});
