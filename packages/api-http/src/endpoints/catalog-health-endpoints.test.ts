import { expect } from 'chai';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

describe('/v1/catalog and /v1/health', () => {
  let a: InProcessAgent;
  beforeEach(async () => (a = await startInProcessAgent()));
  afterEach(() => a.stop());

  const register = (body: object) => a.http({ method: 'PUT', url: '/v1/catalog/register', body });
  const web = (node: string, address: string, status: string, tags = ['v1']) =>
    register({
      Node: node,
      Address: address,
      NodeMeta: { rack: node === 'n1' ? 'r1' : 'r2' },
      Service: { Service: 'web', ID: `web-${node}`, Port: 8080, Tags: tags },
      Check: { CheckID: `web-${node}`, Name: 'web alive', ServiceID: `web-${node}`, Status: status },
    });

  it('registers nodes and services with Consul shapes', async () => {
    expect((await web('n1', '10.0.0.1', 'passing')).text).to.equal('true');
    await web('n2', '10.0.0.2', 'critical', ['v2']);
    const nodes = (await a.http('/v1/catalog/nodes')).json<{ Node: string; Address: string; Meta: object }[]>();
    expect(nodes.map((n) => [n.Node, n.Address])).to.deep.equal([
      ['n1', '10.0.0.1'],
      ['n2', '10.0.0.2'],
    ]);
    expect((await a.http('/v1/catalog/services')).json()).to.deep.equal({ web: ['v1', 'v2'] });
    const svc = (await a.http('/v1/catalog/service/web')).json<{ Node: string; ServiceID: string; ServicePort: number }[]>();
    expect(svc.map((s) => s.ServiceID).sort()).to.deep.equal(['web-n1', 'web-n2']);
    expect(svc[0]!.ServicePort).to.equal(8080);
    expect((await a.http('/v1/catalog/service/web?tag=v2')).json<unknown[]>()).to.have.length(1);
    const node = (await a.http('/v1/catalog/node/n1')).json<{ Node: { Node: string }; Services: Record<string, unknown> }>();
    expect(node.Node.Node).to.equal('n1');
    expect(Object.keys(node.Services)).to.deep.equal(['web-n1']);
    expect((await a.http('/v1/catalog/node-services/n2')).json<{ Services: unknown[] }>().Services).to.have.length(1);
    expect((await a.http('/v1/catalog/datacenters')).json()).to.deep.equal(['dc1']);
  });

  it('filters with ?node-meta and ?filter, and names a bad filter position', async () => {
    await web('n1', '10.0.0.1', 'passing');
    await web('n2', '10.0.0.2', 'passing');
    expect((await a.http('/v1/catalog/nodes?node-meta=rack:r2')).json<{ Node: string }[]>().map((n) => n.Node)).to.deep.equal([
      'n2',
    ]);
    const f = encodeURIComponent('Node == "n1"');
    expect((await a.http(`/v1/catalog/service/web?filter=${f}`)).json<{ Node: string }[]>().map((n) => n.Node)).to.deep.equal([
      'n1',
    ]);
    const bad = await a.http(`/v1/catalog/nodes?filter=${encodeURIComponent('Node ==')}`);
    expect(bad.status).to.equal(400);
    expect(bad.text).to.match(/1:\d+/);
  });

  it('health/service lists instances with checks; ?passing drops the critical one', async () => {
    await web('n1', '10.0.0.1', 'passing');
    await web('n2', '10.0.0.2', 'critical');
    const all = (await a.http('/v1/health/service/web')).json<
      { Node: { Node: string }; Service: { ID: string }; Checks: { Status: string }[] }[]
    >();
    expect(all).to.have.length(2);
    expect(all[0]!.Checks.length).to.be.greaterThan(0);
    const passing = (await a.http('/v1/health/service/web?passing')).json<{ Node: { Node: string } }[]>();
    expect(passing.map((e) => e.Node.Node)).to.deep.equal(['n1']);
    expect((await a.http('/v1/health/state/critical')).json<{ CheckID: string }[]>().map((c) => c.CheckID)).to.deep.equal([
      'web-n2',
    ]);
    expect((await a.http('/v1/health/node/n1')).json<unknown[]>()).to.have.length(1);
    expect((await a.http('/v1/health/checks/web')).json<unknown[]>()).to.have.length(2);
    expect((await a.http('/v1/health/state/bogus')).status).to.equal(400);
  });

  it('a blocking health query wakes on a registration of that service only', async () => {
    await web('n1', '10.0.0.1', 'passing');
    const first = await a.http('/v1/health/service/web');
    const idx = Number(first.headers['x-consul-index']);
    expect(idx).to.be.greaterThan(0);
    expect(first.headers['x-consul-knownleader']).to.equal('true');
    expect(first.headers['x-consul-effective-consistency']).to.equal('leader');
    const t0 = Date.now();
    const pending = a.http(`/v1/health/service/web?index=${idx}&wait=5s`);
    await register({ Node: 'n9', Address: '10.0.0.9', Service: { Service: 'db', Port: 5432 } });
    setTimeout(() => void web('n2', '10.0.0.2', 'passing'), 100);
    const res = await pending;
    expect(Date.now() - t0)
      .to.be.at.least(90)
      .and.lessThan(2000);
    expect(res.json<unknown[]>()).to.have.length(2);
    expect(Number(res.headers['x-consul-index'])).to.be.greaterThan(idx);
  });

  it('?stale and ?consistent report the consistency used; both together is a 400', async () => {
    expect((await a.http('/v1/catalog/nodes?stale')).headers['x-consul-effective-consistency']).to.equal('stale');
    expect((await a.http('/v1/catalog/nodes?consistent')).headers['x-consul-effective-consistency']).to.equal('consistent');
    expect((await a.http('/v1/catalog/nodes?stale&consistent')).status).to.equal(400);
  });

  it('deregisters a service, then the node', async () => {
    await web('n1', '10.0.0.1', 'passing');
    const d = await a.http({ method: 'PUT', url: '/v1/catalog/deregister', body: { Node: 'n1', ServiceID: 'web-n1' } });
    expect(d.text).to.equal('true');
    expect((await a.http('/v1/catalog/service/web')).json<unknown[]>()).to.have.length(0);
    await a.http({ method: 'PUT', url: '/v1/catalog/deregister', body: { Node: 'n1' } });
    expect((await a.http('/v1/catalog/nodes')).json<unknown[]>()).to.have.length(0);
  });

  it('rejects bad registrations with a reason and registers nothing', async () => {
    expect((await register({ Address: '10.0.0.1' })).status).to.equal(400);
    expect((await register({ Node: 'x' })).text).to.contain('address');
    expect((await register({ Node: 'x', Address: '1.2.3.4', Service: { Service: 'web', Port: 99999 } })).status).to.equal(400);
    expect((await a.http({ method: 'PUT', url: '/v1/catalog/register', body: 'not json' })).status).to.equal(400);
    expect((await a.http('/v1/catalog/nodes')).json<unknown[]>()).to.have.length(0);
  });

  it('accepts registration keys in any case, as Consul decodes JSON', async () => {
    await register({ node: 'lower', address: '10.1.1.1', service: { service: 'api', port: 1 } });
    expect((await a.http('/v1/catalog/service/api')).json<{ Node: string }[]>()[0]!.Node).to.equal('lower');
  });
});

describe('/v1/session and /v1/txn', () => {
  let a: InProcessAgent;
  beforeEach(async () => {
    a = await startInProcessAgent();
    await a.http({
      method: 'PUT',
      url: '/v1/catalog/register',
      body: {
        Node: 'node-1',
        Address: '127.0.0.1',
        Check: { CheckID: 'serfHealth', Name: 'Serf Health Status', Status: 'passing' },
      },
    });
  });
  afterEach(() => a.stop());

  it('creates, reads, lists and destroys sessions; destroy releases locks', async () => {
    const id = (
      await a.http({ method: 'PUT', url: '/v1/session/create', body: { Name: 'my-lock', TTL: '30s', LockDelay: '0s' } })
    ).json<{ ID: string }>().ID;
    expect(id).to.match(/^[0-9a-f-]{36}$/);
    const info = (await a.http(`/v1/session/info/${id}`)).json<{ Name: string; Node: string; TTL: string; Behavior: string }[]>();
    expect(info[0]).to.include({ Name: 'my-lock', Node: 'node-1', TTL: '30s', Behavior: 'release' });
    expect((await a.http('/v1/session/node/node-1')).json<unknown[]>()).to.have.length(1);
    expect((await a.http('/v1/session/list')).json<unknown[]>()).to.have.length(1);
    const renewed = await a.http({ method: 'PUT', url: `/v1/session/renew/${id}` });
    expect(renewed.json<{ ID: string }[]>()[0]!.ID).to.equal(id);
    await a.http({ method: 'PUT', url: `/v1/kv/held?acquire=${id}`, body: 'x' });
    await a.http({ method: 'PUT', url: `/v1/session/destroy/${id}` });
    expect((await a.http(`/v1/session/info/${id}`)).text).to.equal('null');
    expect((await a.http('/v1/kv/held')).json<{ Session?: string }[]>()[0]!.Session ?? '').to.equal('');
  });

  it('refuses bad session input: TTL out of range, unknown behavior, unknown node', async () => {
    expect((await a.http({ method: 'PUT', url: '/v1/session/create', body: { TTL: '5s' } })).status).to.equal(400);
    expect((await a.http({ method: 'PUT', url: '/v1/session/create', body: { Behavior: 'explode' } })).status).to.equal(400);
    expect((await a.http({ method: 'PUT', url: '/v1/session/create', body: { Node: 'ghost' } })).status).to.equal(400);
    expect((await a.http({ method: 'PUT', url: '/v1/session/renew/00000000-0000-0000-0000-000000000000' })).status).to.equal(404);
  });

  it('txn applies KV ops atomically, and reports per-op errors with 409', async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const ok = await a.http({
      method: 'PUT',
      url: '/v1/txn',
      body: [
        { KV: { Verb: 'set', Key: 't/a', Value: b64('1') } },
        { KV: { Verb: 'set', Key: 't/b', Value: b64('2') } },
        { KV: { Verb: 'get', Key: 't/a' } },
      ],
    });
    expect(ok.status).to.equal(200);
    const res = ok.json<{ Results: { KV: { Key: string; Value: string | null } }[]; Errors: null }>();
    expect(res.Errors).to.equal(null);
    expect(res.Results.map((r) => r.KV.Key)).to.deep.equal(['t/a', 't/b', 't/a']);
    expect(res.Results[2]!.KV.Value).to.equal(b64('1'));
    const bad = await a.http({
      method: 'PUT',
      url: '/v1/txn',
      body: [{ KV: { Verb: 'set', Key: 't/c', Value: b64('3') } }, { KV: { Verb: 'check-not-exists', Key: 't/a' } }],
    });
    expect(bad.status).to.equal(409);
    const errs = bad.json<{ Errors: { OpIndex: number; What: string }[] }>().Errors;
    expect(errs[0]!.OpIndex).to.equal(1);
    expect((await a.http('/v1/kv/t/c')).status).to.equal(404);
    const tooMany = await a.http({
      method: 'PUT',
      url: '/v1/txn',
      body: Array.from({ length: 65 }, (_, i) => ({ KV: { Verb: 'set', Key: `k${i}` } })),
    });
    expect(tooMany.status).to.equal(413);
    expect((await a.http({ method: 'PUT', url: '/v1/txn', body: { not: 'an array' } })).status).to.equal(400);
  });
});

describe('/v1/status', () => {
  it('reports the leader and voting peers', async () => {
    const a = await startInProcessAgent();
    try {
      expect((await a.http('/v1/status/leader')).json()).to.equal('127.0.0.1:8300');
      expect((await a.http('/v1/status/peers')).json()).to.deep.equal(['127.0.0.1:8300']);
      expect((await a.http('/v1/status/leader?dc=dc9')).status).to.equal(500);
    } finally {
      await a.stop();
    }
  });
});
