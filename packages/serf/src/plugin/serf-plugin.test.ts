import { expect } from 'chai';
import type { RuntimeConfig } from '@proconsul/kernel';
import { TestEncryption } from '../sim/test-encryption.js';
import { agent, alive, runtimeConfig, until } from './test-agents.js';

describe('serf plugin on real sockets (127.0.0.0/8)', function () {
  this.timeout(20_000);

  it('three agents on 127.0.0.1/.2/.3 share one port, join, carry Consul tags, exchange a user event and leave', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const agents: Awaited<ReturnType<typeof agent>>[] = [];
    for (const [i, addr] of ['127.0.0.1', '127.0.0.2', '127.0.0.3'].entries()) {
      const startJoin = i === 0 ? [] : [`127.0.0.1:${port}`];
      agents.push(await agent(runtimeConfig(`a${i + 1}`, addr, port, { startJoin, server: i === 0 })));
    }
    try {
      expect(await until(() => agents.every((a) => alive(a.m).join() === 'a1,a2,a3'), 8_000)).to.equal(true);
      const server = agents[2]!.m.members('lan').find((x) => x.name === 'a1')!;
      expect(server.addr).to.equal('127.0.0.1');
      expect(server.port).to.equal(port);
      expect(server.tags).to.deep.include({
        role: 'consul',
        dc: 'dc1',
        port: '8300',
        id: '00000000-0000-0000-0000-000000000001',
      });
      expect(agents[0]!.m.members('lan').find((x) => x.name === 'a3')!.tags['role']).to.equal('node');

      await agents[1]!.m.userEvent('deploy', Buffer.from('v2'), false);
      expect(
        await until(() => agents.every((a) => a.events.some((e) => e.type === 'user' && e.name === 'deploy')), 5_000),
      ).to.equal(true);

      await agents[2]!.m.leave();
      expect(
        await until(
          () => agents.slice(0, 2).every((a) => a.m.members('lan').find((x) => x.name === 'a3')?.status === 'left'),
          5_000,
        ),
      ).to.equal(true);
    } finally {
      for (const a of agents) await a.life.stop!();
    }
  });

  it('an agent with the wrong gossip key cannot join', async () => {
    const key = TestEncryption.newKey();
    const a = await agent(runtimeConfig('k1', '127.0.0.1', 0), new TestEncryption(key));
    const port = a.m.localMember('lan').port;
    const b = await agent(runtimeConfig('k2', '127.0.0.2', 0), new TestEncryption(key));
    const bad = await agent(runtimeConfig('k3', '127.0.0.3', 0), new TestEncryption(TestEncryption.newKey()));
    try {
      expect(await b.m.join([`127.0.0.1:${port}`], 'lan')).to.equal(1);
      let err: unknown;
      await bad.m.join([`127.0.0.1:${port}`], 'lan').catch((e: unknown) => (err = e));
      expect((err as { code?: string }).code).to.equal('GOSSIP_JOIN_FAILED');
      expect(await until(() => alive(a.m).join() === 'k1,k2' && alive(b.m).join() === 'k1,k2', 5_000)).to.equal(true);
      expect(alive(bad.m)).to.deep.equal(['k3']);
    } finally {
      for (const x of [a, b, bad]) await x.life.stop!();
    }
  });

  it('servers also run a WAN pool with members named node.dc', async () => {
    const s = await agent(
      runtimeConfig('srv1', '127.0.0.1', 0, {
        server: true,
        ports: { http: -1, https: -1, dns: -1, serfLan: 0, serfWan: 0, server: 8300 } as RuntimeConfig['ports'],
      }),
    );
    try {
      expect(s.m.localMember('wan').name).to.equal('srv1.dc1');
      expect(s.m.members('wan').map((x) => x.name)).to.deep.equal(['srv1.dc1']);
      expect(s.m.localMember('wan').port).to.not.equal(s.m.localMember('lan').port);
    } finally {
      await s.life.stop!();
    }
  });
  it('gossip_lan tuning reaches the pool: a tuned member notices a silent peer within a second or two, not after ~18 s', async () => {
    // The local profile's 1 s probes and ×3 suspicion, stretched ×6 with no one to confirm, take ~18 s here.
    const gossipLan = { probeIntervalMs: 100, probeTimeoutMs: 50, suspicionMult: 1 };
    const a = await agent(runtimeConfig('t1', '127.0.0.1', 0, { gossipLan } as Partial<RuntimeConfig>));
    const b = await agent(runtimeConfig('t2', '127.0.0.2', 0));
    try {
      expect(await b.m.join([`127.0.0.1:${a.m.localMember('lan').port}`], 'lan')).to.equal(1);
      expect(await until(() => alive(a.m).join() === 't1,t2', 5_000)).to.equal(true);
      await b.life.stop!(); // sockets closed without a leave: to a, t2 just goes silent
      const t0 = Date.now();
      expect(await until(() => a.m.members('lan').find((x) => x.name === 't2')?.status === 'failed', 4_000)).to.equal(true);
      expect(Date.now() - t0).to.be.below(4_000);
    } finally {
      await a.life.stop!();
    }
  });
});
