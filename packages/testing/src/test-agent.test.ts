import { expect } from 'chai';
import { createServer } from 'node:net';
import { Resolver } from 'node:dns/promises';
import { isCoded } from '@proconsul/kernel';
import { startTestAgent, type TestAgent } from '@proconsul/testing';
import { agentRequest } from './agent-http.js';

/**
 * Handles by type, to compare what is open before and after an agent's life. Taken after a
 * loop turn: mocha arms its own test timeout only once the test function has returned.
 */
async function openHandles(): Promise<Map<string, number>> {
  await new Promise((resolve) => setImmediate(resolve));
  const m = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) m.set(r, (m.get(r) ?? 0) + 1);
  return m;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ host: '127.0.0.1', port }, () => s.close(() => resolve(true)));
  });
}

function resolverFor(agent: TestAgent): Resolver {
  const r = new Resolver({ timeout: 2000, tries: 1 });
  r.setServers([agent.dnsAddr]);
  return r;
}

describe('startTestAgent', () => {
  let agent: TestAgent;

  before(async function () {
    // The first agent in a process also pays for loading every plugin module.
    const t0 = performance.now();
    const warmup = await startTestAgent();
    const cold = performance.now() - t0;
    await warmup.stop();
    const t1 = performance.now();
    agent = await startTestAgent();
    const warm = performance.now() - t1;
    console.log(
      `      startTestAgent: ${cold.toFixed(0)} ms first in process, ${warm.toFixed(0)} ms after (leader elected, node registered)`,
    );
    // Generous bound for a loaded shared machine; the target on an idle one is < 200 ms.
    expect(warm).to.be.below(2000);
  });

  after(() => agent.stop());

  it('resolves with a leader and its own node in the catalog, on loopback ports it reports', async () => {
    expect(agent.httpAddr).to.match(/^127\.0\.0\.1:\d+$/);
    expect(agent.httpUrl).to.equal(`http://${agent.httpAddr}`);
    const leader = await agentRequest(agent.httpAddr, 'GET', '/v1/status/leader');
    expect(JSON.parse(leader.body)).to.equal(agent.serverAddr);
    const node = await agentRequest(agent.httpAddr, 'GET', `/v1/catalog/node/${agent.nodeName}`);
    expect(JSON.parse(node.body).Node.Datacenter).to.equal('dc1');
  });

  it('serves DNS: the node and a registered service resolve on dnsPort', async () => {
    const r = resolverFor(agent);
    expect(await r.resolve4(`${agent.nodeName}.node.consul`)).to.deep.equal(['127.0.0.1']);
    await agent.registerService({ Name: 'web', ID: 'web-1', Port: 8080, Address: '127.0.0.1' });
    const srv = await r.resolveSrv('web.service.consul');
    expect(srv.map((s) => s.port)).to.deep.equal([8080]);
  });

  it('registerService + setCheckState drive what /v1/health reports as passing', async () => {
    await agent.registerService({ Name: 'api', ID: 'api-1', Port: 9000, Check: { TTL: '30s' } });
    const passing = async () =>
      (JSON.parse((await agentRequest(agent.httpAddr, 'GET', '/v1/health/service/api?passing')).body) as unknown[]).length;
    expect(await passing()).to.equal(0); // a TTL check starts critical
    await agent.setCheckState('service:api-1', 'passing', 'all good');
    expect(await passing()).to.equal(1);
    const checks = JSON.parse((await agentRequest(agent.httpAddr, 'GET', '/v1/health/checks/api')).body);
    expect(checks[0]).to.include({ Status: 'passing', Output: 'all good' });
    await agent.setCheckState('service:api-1', 'warning');
    expect(await passing()).to.equal(0);
    await agent.deregisterService('api-1');
    const services = JSON.parse((await agentRequest(agent.httpAddr, 'GET', '/v1/agent/services')).body);
    expect(services).to.not.have.property('api-1');
  });

  it('setCheckState with the same status and a new output reaches the catalog (no check_update_interval hold)', async () => {
    await agent.registerService({ Name: 'notes', ID: 'notes-1', Port: 9001, Check: { TTL: '30s' } });
    await agent.setCheckState('service:notes-1', 'passing', 'first');
    await agent.setCheckState('service:notes-1', 'passing', 'second');
    const checks = JSON.parse((await agentRequest(agent.httpAddr, 'GET', '/v1/health/checks/notes')).body);
    expect(checks[0]).to.include({ Status: 'passing', Output: 'second' });
    await agent.deregisterService('notes-1');
  });

  it('setCheckState names the check the agent does not know', async () => {
    const err = await agent.setCheckState('no-such-check', 'passing').catch((e: unknown) => e);
    expect(isCoded(err, 'TEST_AGENT_REQUEST_FAILED')).to.equal(true);
    expect((err as Error).message).to.contain('no-such-check');
  });

  it('kv.put / get / delete round-trip, with undefined for a missing key', async () => {
    await agent.kv.put('app/config/db url', 'postgres://x');
    expect(await agent.kv.get('app/config/db url')).to.equal('postgres://x');
    await agent.kv.delete('app/config/db url');
    expect(await agent.kv.get('app/config/db url')).to.equal(undefined);
  });

  it('acl: true denies anonymous requests and hands back a management token that works', async () => {
    const secured = await startTestAgent({ acl: true });
    try {
      expect(secured.token).to.match(/^[0-9a-f-]{36}$/);
      await secured.kv.put('k', 'v');
      expect(await secured.kv.get('k')).to.equal('v');
      const anon = await agentRequest(secured.httpAddr, 'GET', '/v1/kv/k');
      expect(anon.status).to.equal(403);
    } finally {
      await secured.stop();
    }
  });
});

// No other agent runs here: its timers would come and go in the handle counts.
describe('startTestAgent lifecycle', () => {
  it('rejects an unknown config key naming it, and leaves nothing running', async () => {
    const before = await openHandles();
    const err = await startTestAgent({ config: { no_such_key: 1 } }).catch((e: unknown) => e);
    expect(isCoded(err, 'TEST_OPTION_INVALID')).to.equal(true);
    expect((err as Error).message).to.contain('no_such_key');
    expect(Object.fromEntries(await openHandles())).to.deep.equal(Object.fromEntries(before));
  });

  it('a taken port given in config fails the start naming it, after retries, and leaves nothing running', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const before = await openHandles();
      const err = await startTestAgent({ config: { ports: { http: port } } }).catch((e: unknown) => e);
      expect((err as Error).message).to.match(/EADDRINUSE|in use/i);
      expect((err as Error).message).to.contain(String(port));
      expect(Object.fromEntries(await openHandles())).to.deep.equal(Object.fromEntries(before));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it("a client agent joined through config reaches the server's leader and registers itself", async () => {
    const server = await startTestAgent();
    const client = await startTestAgent({ server: false, config: { start_join: [server.serfLanAddr] } });
    try {
      const nodes = JSON.parse((await agentRequest(server.httpAddr, 'GET', '/v1/catalog/nodes')).body) as { Node: string }[];
      expect(nodes.map((n) => n.Node).sort()).to.deep.equal([client.nodeName, server.nodeName].sort());
      await client.kv.put('via-client', '1');
      expect(await server.kv.get('via-client')).to.equal('1');
    } finally {
      await client.stop();
      await server.stop();
    }
  });

  it('stop() closes every socket and timer it opened and frees its ports; a second stop is a no-op', async () => {
    const before = await openHandles();
    const a = await startTestAgent();
    await a.kv.put('x', 'y');
    expect(Object.fromEntries(await openHandles())).to.not.deep.equal(Object.fromEntries(before));
    await a.stop();
    expect(Object.fromEntries(await openHandles())).to.deep.equal(Object.fromEntries(before));
    expect(await canListen(a.httpPort)).to.equal(true);
    expect(await canListen(a.dnsPort)).to.equal(true);
    await a.stop();
  });
});
