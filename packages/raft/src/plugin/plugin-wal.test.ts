import { expect } from 'chai';
import { Container } from 'inversify';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Consensus, Fsm, Lifecycle, NullLogger, StorageEngine, type RuntimeConfig } from '@proconsul/kernel';
import plugin, { RaftConsensus } from '../index.js';
import { SimDisk, realTimeScheduler } from '../sim/sim-store.js';
import { SimFsm } from '../sim/sim-fsm.js';
import { Prng } from '../sim/prng.js';
import { freePort } from '../test-support/free-port.js';
import { loadServerPort } from '../test-support/server-port.js';
import { walDir } from './raft-log-opener.js';

async function server(engine: StorageEngine, dataDir: string, port: number) {
  const rc = {
    dev: true,
    server: true,
    bootstrap: false,
    bootstrapExpect: 0,
    nodeName: 'w1',
    nodeId: 'w1',
    bindAddr: '127.0.0.1',
    advertiseAddr: '127.0.0.1',
    raftMultiplier: 1,
    dataDir,
    raftLogStore: { backend: 'wal', walSegmentSizeMb: 1 },
    ports: { http: -1, https: -1, dns: -1, serfLan: -1, serfWan: -1, server: port },
  } as unknown as RuntimeConfig;
  const c = new Container();
  const fsm = new SimFsm();
  c.bind(Fsm).toConstantValue(fsm);
  c.bind(StorageEngine).toConstantValue(engine);
  const serverPort = await loadServerPort(c, rc, new NullLogger());
  // A low threshold so the run snapshots and drops log prefixes.
  c.load(
    plugin.createModule(
      { snapshot_threshold: 40, trailing_logs: 5, snapshot_interval: '50ms' },
      { config: rc, logger: new NullLogger() },
    ),
  );
  const raft = c.getAll<Lifecycle>(Lifecycle).find((l) => l.name === 'raft')!;
  await serverPort.start();
  await raft.start!();
  return {
    fsm,
    consensus: c.get<Consensus>(Consensus) as RaftConsensus,
    stop: async () => {
      await raft.stop!();
      await serverPort.stop();
    },
  };
}

async function until(pred: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!pred() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return pred();
}

describe('raft plugin with raft_logstore.backend = "wal"', function () {
  this.timeout(15_000);
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'raft-wal-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('commits through the segment files and has every write back after a restart, across snapshots', async () => {
    const engine = new SimDisk(realTimeScheduler, new Prng(3), [0, 1]).engine();
    const port = await freePort();
    const a = await server(engine, dataDir, port);
    try {
      expect(await until(() => a.consensus.isLeader(), 3000)).to.equal(true);
      for (let i = 0; i < 150; i++) await a.consensus.apply(SimFsm.command(`k${i}`, `v${i}`));
      // The log was compacted behind a snapshot while writing (prefix drops went to the wal).
      expect(await until(() => Number(a.consensus.stats().last_snapshot_index) > 0, 3000)).to.equal(true);
      expect(await readdir(walDir(dataDir))).to.have.length.greaterThan(0);
    } finally {
      await a.stop();
    }
    const b = await server(engine, dataDir, port);
    try {
      expect(await until(() => b.consensus.isLeader(), 3000)).to.equal(true);
      for (let i = 0; i < 150; i++) expect(b.fsm.state.get(`k${i}`)).to.equal(`v${i}`);
      const r = await b.consensus.apply(SimFsm.command('after', 'restart'));
      expect(Number(b.consensus.stats().last_log_index)).to.be.at.least(r.index);
    } finally {
      await b.stop();
    }
  });
});
