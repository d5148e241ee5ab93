import { expect } from 'chai';
import { NullLogger, defineError, isCoded } from '@proconsul/kernel';
import { ServerPort } from './server-port.js';
import { TcpServerRpc } from './tcp-server-rpc.js';
import { TcpRaftTransport } from './tcp-raft-transport.js';
import { RealClock } from '../core/clock.js';
import { RaftNode } from '../core/raft-node.js';
import { DefaultConfig } from '../core/raft-config.js';
import { SimDisk, realTimeScheduler } from '../sim/sim-store.js';
import { SimFsm } from '../sim/sim-fsm.js';
import { Prng } from '../sim/prng.js';

const Boom = defineError('TEST_BOOM', 418, (what: string) => `boom: ${what}`);

describe('server port over TCP (127.0.0.1)', function () {
  this.timeout(10_000);
  const log = new NullLogger();

  it('serves RPC with pooled connections and carries coded errors', async () => {
    const port = new ServerPort(log);
    const p = await port.listen('127.0.0.1', 0);
    const server = new TcpServerRpc(port, log);
    server.setHandler(async (method, body) => {
      if (method === 'fail') throw Boom(String(body));
      if (method === 'slow') await new Promise((r) => setTimeout(r, 500));
      return { method, body };
    });
    const client = new TcpServerRpc(undefined, log);
    try {
      const addr = `127.0.0.1:${p}`;
      expect(await client.call(addr, 'echo', { a: [1, 2] })).to.deep.equal({ method: 'echo', body: { a: [1, 2] } });
      const many = await Promise.all(Array.from({ length: 300 }, (_, i) => client.call(addr, 'echo', i)));
      expect(many.map((r) => (r as { body: number }).body)).to.deep.equal(Array.from({ length: 300 }, (_, i) => i));
      const err = await client.call(addr, 'fail', 'x').catch((e: unknown) => e);
      expect(isCoded(err, 'TEST_BOOM')).to.equal(true);
      expect((err as Error).message).to.equal('boom: x');
      // The status travels too: a 403 decided on a server is a 403 on the agent that forwarded it.
      expect((err as { statusCode: number }).statusCode).to.equal(Boom('').statusCode);
      const slow = await client.call(addr, 'slow', null, 50).catch((e: unknown) => e);
      expect(isCoded(slow, 'RPC_TIMEOUT')).to.equal(true);
      // A large body crosses in many TCP segments and still arrives intact.
      const big = 'x'.repeat(3_000_000);
      expect(((await client.call(addr, 'echo', big)) as { body: string }).body.length).to.equal(big.length);
    } finally {
      client.close();
      await port.close();
    }
  });

  it('reports an unreachable server as RPC_CONNECT_FAILED', async () => {
    const port = new ServerPort(log);
    const p = await port.listen('127.0.0.1', 0);
    await port.close(); // now nothing listens there
    const client = new TcpServerRpc(undefined, log);
    const err = await client.call(`127.0.0.1:${p}`, 'x', null, 2000).catch((e: unknown) => e);
    expect(isCoded(err, 'RPC_CONNECT_FAILED')).to.equal(true);
    client.close();
  });

  it('runs a 3-server raft cluster over TCP in real time', async () => {
    const ids = ['t1', 't2', 't3'];
    const ports = ids.map(() => new ServerPort(log));
    const addrs = await Promise.all(ports.map(async (p) => `127.0.0.1:${await p.listen('127.0.0.1', 0)}`));
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
        transport: new TcpRaftTransport(ports[i]!, clock),
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
      for (const p of ports) await p.close();
    }
  });
});
