import { expect } from 'chai';
import { AntiEntropy } from '@proconsul/agent';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';
import { ProbeControl, eventually, testCheckTypes } from '../test-support/agent-test-support.js';

describe('anti-entropy: agent state → catalog', () => {
  let a: InProcessAgent;
  const probe = new ProbeControl();
  beforeEach(async () => {
    probe.status = 'passing';
    a = await startInProcessAgent(
      {},
      // Short rounds so catalog-side damage is repaired within the test; random 0 = no stagger, first probe at once.
      { plugins: [testCheckTypes(probe)], local: { antiEntropy: { intervalMs: 150, debounceMs: 5 }, random: () => 0 } },
    );
  });
  afterEach(() => a.stop());
  const put = (url: string, body?: string | object) => a.http({ method: 'PUT', url, ...(body !== undefined ? { body } : {}) });
  const catalogService = async (name: string) => (await a.http(`/v1/catalog/service/${name}`)).json<Record<string, unknown>[]>();
  const nodeChecks = async () =>
    (await a.http('/v1/health/node/node-1')).json<{ CheckID: string; Status: string; Output: string }[]>();

  it('registers the node (with ID, tagged addresses, meta) and, on a server, the consul service', async () => {
    const node = await eventually(async () => {
      const r = await a.http('/v1/catalog/node/node-1');
      const body = r.json<{ Node: Record<string, unknown>; Services: Record<string, { Port: number }> } | null>();
      expect(body?.Services['consul']).to.not.equal(undefined);
      return body!;
    });
    expect(node.Node).to.include({ Node: 'node-1', ID: a.config.nodeId, Address: '127.0.0.1', Datacenter: 'dc1' });
    expect(node.Node['TaggedAddresses']).to.include({ lan: '127.0.0.1', lan_ipv4: '127.0.0.1', wan: '127.0.0.1' });
    expect(node.Services['consul']!.Port).to.equal(a.config.ports.server);
  });

  it('a service registered through the agent API appears in the catalog and in /v1/health', async () => {
    await put('/v1/agent/service/register', {
      Name: 'web',
      ID: 'web-1',
      Port: 80,
      Tags: ['a'],
      Check: { TTL: '1m', CheckID: 'web-ttl' },
    });
    const [row] = await eventually(async () => {
      const rows = await catalogService('web');
      expect(rows).to.have.length(1);
      return rows;
    });
    expect(row).to.include({ Node: 'node-1', ServiceID: 'web-1', ServicePort: 80 });
    const health = (await a.http('/v1/health/service/web')).json<{ Checks: { CheckID: string; Status: string }[] }[]>();
    expect(health[0]!.Checks.find((c) => c.CheckID === 'web-ttl')?.Status).to.equal('critical');
  });

  it('TTL pass/fail through the agent API is reflected in /v1/health', async () => {
    await put('/v1/agent/service/register', { Name: 'web', Check: { TTL: '1m', CheckID: 't' } });
    await put('/v1/agent/check/pass/t?note=up');
    await eventually(async () => {
      const passing = (await a.http('/v1/health/service/web?passing')).json<unknown[]>();
      expect(passing).to.have.length(1);
    });
    await put('/v1/agent/check/fail/t?note=down');
    await eventually(async () => {
      const c = (await nodeChecks()).find((x) => x.CheckID === 't');
      expect(c).to.include({ Status: 'critical', Output: 'down' });
    });
  });

  it('a check runner status change reaches the catalog', async () => {
    probe.status = 'warning';
    probe.output = 'slow';
    await put('/v1/agent/check/register', { Name: 'p', Probe: true, Interval: '1s' });
    await eventually(async () =>
      expect((await nodeChecks()).find((x) => x.CheckID === 'p')).to.include({ Status: 'warning', Output: 'slow' }),
    );
    probe.status = 'passing';
    probe.output = 'fast';
    await eventually(
      async () => expect((await nodeChecks()).find((x) => x.CheckID === 'p')).to.include({ Status: 'passing', Output: 'fast' }),
      4000,
    );
  });

  it('catalog deregistration of an agent-owned service warns and is undone by the next sync', async () => {
    await put('/v1/agent/service/register', { Name: 'web' });
    await eventually(async () => expect(await catalogService('web')).to.have.length(1));
    const r = await put('/v1/catalog/deregister', { Node: 'node-1', ServiceID: 'web' });
    expect(r.status).to.equal(200);
    expect(String(r.headers['warning'])).to.match(/^299 - ".*anti-entropy.*"$/);
    expect(await catalogService('web')).to.have.length(0);
    await eventually(async () => expect(await catalogService('web')).to.have.length(1));
    // Deregistering something the agent does not own carries no warning.
    await put('/v1/catalog/register', { Node: 'other', Address: '10.0.0.9', Service: { Service: 'x' } });
    expect((await put('/v1/catalog/deregister', { Node: 'other', ServiceID: 'x' })).headers['warning']).to.equal(undefined);
  });

  it('removes catalog entries for this node that the agent does not know, but keeps serfHealth', async () => {
    await eventually(async () => expect((await a.http('/v1/catalog/node/node-1')).json()).to.not.equal(null));
    await put('/v1/catalog/register', {
      Node: 'node-1',
      Address: '127.0.0.1',
      SkipNodeUpdate: true,
      Service: { Service: 'ghost' },
      Checks: [
        { Name: 'ghost-check', ServiceID: 'ghost' },
        { Name: 'stray' },
        { CheckID: 'serfHealth', Name: 'Serf Health Status', Status: 'passing' },
      ],
    });
    expect(await catalogService('ghost')).to.have.length(1);
    await a.kernel.container.get(AntiEntropy).syncNow();
    expect(await catalogService('ghost')).to.have.length(0);
    expect((await nodeChecks()).map((c) => c.CheckID)).to.deep.equal(['serfHealth']);
  });

  it('deregistering through the agent API removes the service from the catalog', async () => {
    await put('/v1/agent/service/register', { Name: 'gone', Check: { TTL: '1m' } });
    await eventually(async () => expect(await catalogService('gone')).to.have.length(1));
    await put('/v1/agent/service/deregister/gone');
    await eventually(async () => expect(await catalogService('gone')).to.have.length(0));
    expect(await nodeChecks()).to.deep.equal([]);
  });
});
