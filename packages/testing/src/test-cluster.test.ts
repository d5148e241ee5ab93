import { expect } from 'chai';
import { isCoded } from '@proconsul/kernel';
import { startTestAgent, startTestCluster, type TestCluster } from '@proconsul/testing';
import { agentRequest } from './agent-http.js';

async function openHandles(): Promise<Record<string, number>> {
  // After a loop turn: mocha arms its own test timeout only once the test function has returned.
  await new Promise((resolve) => setImmediate(resolve));
  const m: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) m[r] = (m[r] ?? 0) + 1;
  return m;
}

describe('startTestCluster', function () {
  // Four in-process agents form a cluster in well under a second here, but a CI machine busy
  // with other suites can stretch gossip convergence and the first election past mocha's 10 s.
  this.timeout(30_000);
  let cluster: TestCluster;
  let baseline: Record<string, number>;

  before(async () => {
    // Module loading is paid by the first agent in a process; time the cluster without it.
    await (await startTestAgent()).stop();
    baseline = await openHandles();
    const t0 = performance.now();
    cluster = await startTestCluster({ servers: 3, clients: 1 });
    console.log(
      `      startTestCluster(3 servers + 1 client): ${(performance.now() - t0).toFixed(0)} ms to a leader with every node registered`,
    );
  });

  after(async () => {
    await cluster.stop();
    // Every socket, timer and file of the four agents is gone when stop() resolves.
    expect(await openHandles()).to.deep.equal(baseline);
  });

  it('has one leader that every agent, client included, reports', async () => {
    const leader = await cluster.leader();
    for (const a of cluster.agents) {
      const res = await agentRequest(a.httpAddr, 'GET', '/v1/status/leader');
      expect(JSON.parse(res.body), a.nodeName).to.equal(leader.serverAddr);
    }
    const peers = JSON.parse((await agentRequest(leader.httpAddr, 'GET', '/v1/status/peers')).body) as string[];
    expect(peers.sort()).to.deep.equal(cluster.servers.map((s) => s.serverAddr).sort());
  });

  it('sees all four agents as alive LAN members', async () => {
    const members = JSON.parse((await agentRequest(cluster.clients[0]!.httpAddr, 'GET', '/v1/agent/members')).body) as {
      Name: string;
      Status: number;
    }[];
    expect(
      members
        .filter((m) => m.Status === 1)
        .map((m) => m.Name)
        .sort(),
    ).to.deep.equal(['client-1', 'server-1', 'server-2', 'server-3']);
  });

  it('replicates: a KV write through the client is read from every server', async () => {
    await cluster.clients[0]!.kv.put('shared/flag', 'on');
    for (const s of cluster.servers) expect(await s.kv.get('shared/flag'), s.nodeName).to.equal('on');
  });

  it('a service registered on the client is discoverable through a server', async () => {
    await cluster.clients[0]!.registerService({ Name: 'billing', ID: 'billing-1', Port: 7000, Check: { TTL: '10s' } });
    await cluster.clients[0]!.setCheckState('service:billing-1', 'passing');
    const res = await agentRequest(cluster.servers[1]!.httpAddr, 'GET', '/v1/health/service/billing?passing');
    const entries = JSON.parse(res.body) as { Node: { Node: string }; Service: { Port: number } }[];
    expect(entries.map((e) => [e.Node.Node, e.Service.Port])).to.deep.equal([['client-1', 7000]]);
  });
});

describe('startTestCluster options', function () {
  this.timeout(30_000);
  it('refuses a cluster without servers, naming the option', async () => {
    const err = await startTestCluster({ servers: 0 }).catch((e: unknown) => e);
    expect(isCoded(err, 'TEST_OPTION_INVALID')).to.equal(true);
    expect((err as Error).message).to.contain('servers');
  });

  it('with acl shares one management token across the agents, and the helpers work through a client', async () => {
    const c = await startTestCluster({ servers: 3, clients: 1, acl: true });
    try {
      expect(c.token).to.be.a('string');
      for (const a of c.agents) expect(a.token).to.equal(c.token);
      await c.servers[2]!.kv.put('a', 'b');
      expect(await c.servers[0]!.kv.get('a')).to.equal('b');
      expect((await agentRequest(c.servers[0]!.httpAddr, 'GET', '/v1/kv/a')).status).to.equal(403);
      await c.clients[0]!.registerService({ Name: 'secured', ID: 'secured-1', Port: 1, Check: { TTL: '10s' } });
      await c.clients[0]!.setCheckState('service:secured-1', 'passing');
      const res = await agentRequest(c.servers[0]!.httpAddr, 'GET', '/v1/health/service/secured?passing', { token: c.token! });
      expect((JSON.parse(res.body) as unknown[]).length).to.equal(1);
      const anon = await agentRequest(c.servers[0]!.httpAddr, 'GET', '/v1/health/service/secured');
      expect(JSON.parse(anon.body)).to.deep.equal([]); // deny-by-default filters what anonymous may not read
    } finally {
      await c.stop();
    }
  });
});
