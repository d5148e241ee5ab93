import { expect } from 'chai';
import { Container } from 'inversify';
import { NullLogger, type RuntimeConfig } from '@proconsul/kernel';
import { TcpRaftTransport } from './tcp-raft-transport.js';
import { RealClock } from '../core/clock.js';
import { RaftNode } from '../core/raft-node.js';
import { DefaultConfig } from '../core/raft-config.js';
import { SimDisk, realTimeScheduler } from '../sim/sim-store.js';
import { SimFsm } from '../sim/sim-fsm.js';
import { Prng } from '../sim/prng.js';
import { loadServerPort, type LoadedServerPort } from '../test-support/server-port.js';
import { freePort } from '../test-support/free-port.js';

function serverRuntime(port: number): RuntimeConfig {
  // Only what the server-rpc plugin reads; there is no TLS configurator in a bare container.
  return {
    server: true,
    bindAddr: '127.0.0.1',
    ports: { http: -1, https: -1, dns: -1, serfLan: -1, serfWan: -1, server: port },
  } as unknown as RuntimeConfig;
}

describe('raft over the server port (TCP, 127.0.0.1)', function () {
  this.timeout(10_000);
  const log = new NullLogger();

  it('runs a 3-server raft cluster over TCP in real time', async () => {
    const ids = ['t1', 't2', 't3'];
    const listenPorts = [await freePort(), await freePort(), await freePort()];
    const ports: LoadedServerPort[] = [];
    for (const p of listenPorts) ports.push(await loadServerPort(new Container(), serverRuntime(p), log));
    for (const p of ports) await p.start();
    const addrs = listenPorts.map((p) => `127.0.0.1:${p}`);
    const clock = new RealClock();
    const cfg = {
      ...DefaultConfig(),
      heartbeatTimeoutMs: 300,
      electionTimeoutMs: 300,
      leaderLeaseTimeoutMs: 150,
      heartbeatIntervalMs: 30,
    };
    const config = { servers: ids.map((id, i) => ({ id, node: id, address: addrs[i]!, suffrage: 'voter' as const })) };
    const fsms = ids.map(() => new SimFsm());
    const rng = new Prng(7);
    const nodes: RaftNode[] = [];
    for (let i = 0; i < 3; i++) {
      const engine = new SimDisk(realTimeScheduler, rng.fork(), [0, 1]).engine();
      const node = await RaftNode.open({
        id: ids[i]!,
        config: cfg,
        clock,
        random: Math.random,
        transport: new TcpRaftTransport(ports[i]!.streams, clock),
        fsm: fsms[i]!,
        stores: {
          log: await engine.open('raft-log'),
          stable: await engine.open('raft-stable'),
          snapshots: await engine.open('raft-snapshots'),
        },
        logger: log,
      });
      await node.bootstrap(config);
      node.start();
      nodes.push(node);
    }
    try {
      const deadline = Date.now() + 5000;
      let leader: RaftNode | undefined;
      while (!(leader = nodes.find((n) => n.role === 'leader')) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(leader, 'leader elected').to.not.equal(undefined);
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => leader!.apply(SimFsm.command(`k${i}`, `v${i}`), 3000)),
      );
      expect(results.map((r) => r.index)).to.have.length(50);
      while (fsms.some((f) => f.state.size < 50) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const f of fsms) expect(f.state.get('k49')).to.equal('v49');
      expect(await leader!.readBarrier(1000)).to.be.at.least(results[49]!.index);
    } finally {
      for (const n of nodes) {
        n.stop();
        await n.transport.close();
      }
      for (const p of ports) await p.stop();
    }
  });
});
