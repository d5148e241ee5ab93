import { expect } from 'chai';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

/** Issue #20: /v1/internal/ui/* in the shapes Consul's own web UI reads. */
describe('/v1/internal/ui/*', () => {
  let a: InProcessAgent;
  const put = (url: string, body: object) => a.http({ method: 'PUT', url, body });
  before(async () => {
    a = await startInProcessAgent();
    const ok = async (body: object) => expect((await put('/v1/catalog/register', body)).status).to.equal(200);
    await ok({
      Node: 'n1',
      Address: '10.0.0.1',
      Service: { ID: 'web-1', Service: 'web', Tags: ['v1'], Port: 80, Meta: { 'external-source': 'nomad' } },
      Checks: [
        { CheckID: 'serfHealth', Name: 'Serf', Status: 'passing' },
        { CheckID: 'web-1-http', Name: 'http', ServiceID: 'web-1', Status: 'warning' },
      ],
    });
    await ok({ Node: 'n1', Address: '10.0.0.1', Service: { ID: 'web-2', Service: 'web', Tags: ['v2'], Port: 81 } });
    await ok({
      Node: 'n2',
      Address: '10.0.0.2',
      Service: { ID: 'db-1', Service: 'db', Port: 5432 },
      Check: { CheckID: 'db-1-tcp', Name: 'tcp', ServiceID: 'db-1', Status: 'critical' },
    });
  });
  after(() => a.stop());

  it('services: one summary per service with instance and check counts (each check once)', async () => {
    const r = await a.http('/v1/internal/ui/services');
    expect(r.status).to.equal(200);
    expect(Number(r.headers['x-consul-index'])).to.be.greaterThan(0);
    expect(r.json()).to.deep.equal([
      {
        Name: 'db',
        Datacenter: 'dc1',
        Tags: [],
        Nodes: ['n2'],
        ExternalSources: [],
        InstanceCount: 1,
        ChecksPassing: 0,
        ChecksWarning: 0,
        ChecksCritical: 1,
        GatewayConfig: {},
        TransparentProxy: false,
        ConnectNative: false,
        ConnectedWithProxy: false,
        ConnectedWithGateway: false,
      },
      {
        Name: 'web',
        Datacenter: 'dc1',
        Tags: ['v1', 'v2'],
        Nodes: ['n1'],
        ExternalSources: ['nomad'],
        InstanceCount: 2,
        // serfHealth (node check, shared by both instances) once, web-1-http once.
        ChecksPassing: 1,
        ChecksWarning: 1,
        ChecksCritical: 0,
        GatewayConfig: {},
        TransparentProxy: false,
        ConnectNative: false,
        ConnectedWithProxy: false,
        ConnectedWithGateway: false,
      },
    ]);
  });

  it('services: ?filter= applies to the summaries', async () => {
    const r = await a.http(`/v1/internal/ui/services?filter=${encodeURIComponent('"nomad" in ExternalSources')}`);
    expect(r.json<{ Name: string }[]>().map((s) => s.Name)).to.deep.equal(['web']);
    const c = await a.http(`/v1/internal/ui/services?filter=${encodeURIComponent('ChecksCritical == 1')}`);
    expect(c.json<{ Name: string }[]>().map((s) => s.Name)).to.deep.equal(['db']);
  });

  it('nodes: every node with its Services and Checks', async () => {
    const r = await a.http('/v1/internal/ui/nodes');
    expect(r.status).to.equal(200);
    const nodes = r.json<{ Node: string; Address: string; Services: { ID: string }[]; Checks: { CheckID: string }[] }[]>();
    expect(nodes.map((n) => [n.Node, n.Address, n.Services.map((s) => s.ID), n.Checks.map((c) => c.CheckID)])).to.deep.equal([
      ['n1', '10.0.0.1', ['web-1', 'web-2'], ['serfHealth', 'web-1-http']],
      ['n2', '10.0.0.2', ['db-1'], ['db-1-tcp']],
    ]);
    const filtered = await a.http(`/v1/internal/ui/nodes?filter=${encodeURIComponent('Node == "n2"')}`);
    expect(filtered.json<{ Node: string }[]>().map((n) => n.Node)).to.deep.equal(['n2']);
  });

  it('node/:n: the one node; 404 with an empty body and the index header when absent', async () => {
    const r = await a.http('/v1/internal/ui/node/n2');
    expect(r.status).to.equal(200);
    const n = r.json<{ Node: string; Meta: object; Services: { Service: string }[]; Checks: unknown[] }>();
    expect([n.Node, n.Services.map((s) => s.Service), n.Checks.length]).to.deep.equal(['n2', ['db'], 1]);
    expect(n.Meta).to.deep.equal({});
    const missing = await a.http('/v1/internal/ui/node/nope');
    expect(missing.status).to.equal(404);
    expect(missing.text).to.equal('');
    expect(missing.headers['x-consul-index']).to.be.a('string');
  });

  it('a blocking services read wakes on a health change', async () => {
    const first = await a.http('/v1/internal/ui/services');
    const index = first.headers['x-consul-index'] as string;
    const waiting = a.http(`/v1/internal/ui/services?index=${index}&wait=5s`);
    await new Promise((r) => setTimeout(r, 50));
    await put('/v1/catalog/register', {
      Node: 'n2',
      Address: '10.0.0.2',
      Check: { CheckID: 'db-1-tcp', Name: 'tcp', ServiceID: 'db-1', Status: 'passing' },
    });
    const woke = await waiting;
    expect(woke.json<{ Name: string; ChecksPassing: number }[]>().find((s) => s.Name === 'db')?.ChecksPassing).to.equal(1);
  });
});
