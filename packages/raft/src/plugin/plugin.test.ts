import { expect } from 'chai';
import { Container } from 'inversify';
import { Consensus, Fsm, isCoded, Lifecycle, NullLogger, StorageEngine, type RuntimeConfig } from '@proconsul/kernel';
import plugin, { RaftConsensus } from '../index.js';
import { SimDisk, realTimeScheduler } from '../sim/sim-store.js';
import { SimFsm } from '../sim/sim-fsm.js';
import { Prng } from '../sim/prng.js';
import { freePort } from '../test-support/free-port.js';
import { loadServerPort } from '../test-support/server-port.js';

function runtime(over: Partial<RuntimeConfig> & { serverPort: number }): RuntimeConfig {
  // Only the fields the raft plugin reads; the kernel's full defaults are not needed here.
  const { serverPort, ...rest } = over;
  return {
    dev: false,
    server: true,
    bootstrap: false,
    bootstrapExpect: 0,
    nodeName: 'n',
    nodeId: 'n',
    bindAddr: '127.0.0.1',
    advertiseAddr: '127.0.0.1',
    raftMultiplier: 1,
    ports: { http: -1, https: -1, dns: -1, serfLan: -1, serfWan: -1, server: serverPort },
    ...rest,
  } as unknown as RuntimeConfig;
}

/** A server as the kernel would assemble it: the server port (server-rpc, loaded first, as its requirement orders it), then raft. */
async function agent(rc: RuntimeConfig, seed: number) {
  const c = new Container();
  const fsm = new SimFsm();
  c.bind(Fsm).toConstantValue(fsm);
  c.bind(StorageEngine).toConstantValue(new SimDisk(realTimeScheduler, new Prng(seed), [0, 1]).engine());
  const port = await loadServerPort(c, rc, new NullLogger());
  c.load(plugin.createModule({}, { config: rc, logger: new NullLogger() }));
  const raft = c.getAll<Lifecycle>(Lifecycle).find((l) => l.name === 'raft')!;
  const lifecycle = {
    start: async () => {
      await port.start();
      await raft.start!();
    },
    stop: async () => {
      await raft.stop!();
      await port.stop();
    },
  };
  return { c, fsm, rpc: port.rpc, lifecycle, consensus: c.get<Consensus>(Consensus) as RaftConsensus };
}

async function until(pred: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!pred() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return pred();
}

describe('raft plugin', function () {
  this.timeout(15_000);

  it('declares its manifest', () => {
    // The server port is server-rpc's: raft only needs its streams (and a storage engine).
    expect(plugin.manifest).to.deep.include({ name: 'raft', provides: ['consensus'], requires: ['storage', 'raft-streams'] });
  });

  it('dev mode bootstraps a single server that leads, applies and serves RPC on the server port', async () => {
    const port = await freePort();
    const a = await agent(runtime({ dev: true, nodeId: 'dev1', nodeName: 'dev1', serverPort: port }), 1);
    await a.lifecycle.start!();
    try {
      expect(await until(() => a.consensus.isLeader(), 3000)).to.equal(true);
      expect(a.consensus.leader()).to.deep.equal({ id: 'dev1', node: 'dev1', address: `127.0.0.1:${port}` });
      const r = await a.consensus.apply(SimFsm.command('k', 'v'));
      expect(a.fsm.state.get('k')).to.equal('v');
      expect(a.consensus.appliedIndex()).to.be.at.least(r.index);
      expect(await a.consensus.readBarrier(1000)).to.be.at.least(r.index);
      expect(a.consensus.stats()).to.deep.include({ state: 'Leader', num_peers: '0', last_contact: '0' });
      const rpc = a.rpc;
      rpc.setHandler(async (method, body) => ({ method, body }));
      expect(await rpc.call(`127.0.0.1:${port}`, 'Status.Ping', 1)).to.deep.equal({ method: 'Status.Ping', body: 1 });
      // bootstrap_expect is off: bootstrapWith does nothing.
      expect(await a.consensus.bootstrapWith([])).to.equal(false);
    } finally {
      await a.lifecycle.stop!();
    }
  });

  it('a dev server with bootstrap_expect does not bootstrap alone: it waits for the expected servers', async () => {
    const a = await agent(
      runtime({ dev: true, bootstrapExpect: 3, nodeId: 'd3', nodeName: 'd3', serverPort: await freePort() }),
      2,
    );
    await a.lifecycle.start!();
    try {
      // A lone bootstrap makes itself leader within milliseconds; give it ample time to (wrongly) do so.
      expect(await until(() => a.consensus.isLeader(), 300)).to.equal(false);
      expect(a.consensus.configuration()).to.deep.equal([]);
    } finally {
      await a.lifecycle.stop!();
    }
  });

  it('bootstrap_expect=3 bootstraps once three servers are known, exactly once', async () => {
    const ports = [await freePort(), await freePort(), await freePort()];
    const ids = ['b1', 'b2', 'b3'];
    const agents = await Promise.all(
      ids.map((id, i) => agent(runtime({ bootstrapExpect: 3, nodeId: id, nodeName: id, serverPort: ports[i]! }), i + 10)),
    );
    for (const a of agents) await a.lifecycle.start!();
    try {
      const all = agents.map((a) => a.consensus.self());
      expect(await agents[0]!.consensus.bootstrapWith(all.slice(0, 2))).to.equal(false); // only two known
      for (const a of agents) expect(await a.consensus.bootstrapWith(all)).to.equal(true);
      for (const a of agents) expect(await a.consensus.bootstrapWith(all)).to.equal(false); // never twice
      expect(await until(() => agents.some((a) => a.consensus.isLeader()), 5000)).to.equal(true);
      const leader = agents.find((a) => a.consensus.isLeader())!;
      const follower = agents.find((a) => !a.consensus.isLeader())!;
      const err = await follower.consensus.apply(SimFsm.command('x', 'y')).catch((e: unknown) => e);
      expect(isCoded(err, 'RAFT_NOT_LEADER')).to.equal(true);
      expect(await until(() => follower.consensus.leader()?.id === leader.consensus.self().id, 2000)).to.equal(true);
      await leader.consensus.apply(SimFsm.command('x', 'y'));
      expect(await until(() => agents.every((a) => a.fsm.state.get('x') === 'y'), 3000)).to.equal(true);
      expect(
        leader.consensus
          .configuration()
          .map((s) => s.id)
          .sort(),
      ).to.deep.equal(ids);
    } finally {
      for (const a of agents) await a.lifecycle.stop!();
    }
  });

  it('binds nothing on a client agent (no Consensus, no lifecycle), so a client need not load it', async () => {
    const rc = runtime({ server: false, serverPort: await freePort() });
    const c = new Container();
    c.bind(Fsm).toConstantValue(new SimFsm());
    c.load(plugin.createModule({}, { config: rc, logger: new NullLogger() }));
    expect(c.isBound(Consensus)).to.equal(false);
    expect(c.isBound(Lifecycle)).to.equal(false);
  });
});
