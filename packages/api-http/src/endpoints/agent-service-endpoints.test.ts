import { expect } from 'chai';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';
import { ProbeControl, testCheckTypes } from '../test-support/agent-test-support.js';

describe('/v1/agent/service*', () => {
  let a: InProcessAgent;
  beforeEach(async () => (a = await startInProcessAgent({}, { plugins: [testCheckTypes(new ProbeControl())] })));
  afterEach(() => a.stop());
  const put = (url: string, body?: string | object) => a.http({ method: 'PUT', url, ...(body !== undefined ? { body } : {}) });

  it('registers a service (any key case) and lists it as Consul AgentService', async () => {
    const r = await put('/v1/agent/service/register', {
      name: 'web',
      ID: 'web-1',
      tags: ['v1'],
      port: 8080,
      meta: { team: 'a' },
      enable_tag_override: true,
    });
    expect(r.status).to.equal(200);
    const all = (await a.http('/v1/agent/services')).json<Record<string, Record<string, unknown>>>();
    expect(Object.keys(all)).to.deep.equal(['web-1']);
    expect(all['web-1']).to.deep.equal({
      ID: 'web-1',
      Service: 'web',
      Tags: ['v1'],
      Meta: { team: 'a' },
      Port: 8080,
      Address: '',
      Weights: { Passing: 1, Warning: 1 },
      EnableTagOverride: true,
      Datacenter: 'dc1',
    });
    const one = await a.http('/v1/agent/service/web-1');
    expect(one.status).to.equal(200);
    expect(one.json<Record<string, unknown>>()).to.include({ ID: 'web-1', Service: 'web' });
    expect(one.json<Record<string, unknown>>()['ContentHash']).to.be.a('string');
    expect(one.headers['x-consul-contenthash']).to.be.a('string');
  });

  it('defaults ID to the name, names service checks as Consul does, and filters the list', async () => {
    await put('/v1/agent/service/register', { Name: 'db', Port: 5432, Checks: [{ TTL: '30s' }, { TTL: '10s', Name: 'second' }] });
    await put('/v1/agent/service/register', { Name: 'cache', Tags: ['x'] });
    const checks = (await a.http('/v1/agent/checks')).json<Record<string, Record<string, unknown>>>();
    // Consul numbers a service's checks by position when they have no CheckID, named or not.
    expect(Object.keys(checks).sort()).to.deep.equal(['service:db:1', 'service:db:2']);
    expect(checks['service:db:2']).to.include({ Name: 'second' });
    expect(checks['service:db:1']).to.include({
      Name: "Service 'db' check",
      ServiceID: 'db',
      ServiceName: 'db',
      Status: 'critical',
      Type: 'ttl',
    });
    const filtered = (await a.http(`/v1/agent/services?filter=${encodeURIComponent('Service == "cache"')}`)).json<
      Record<string, unknown>
    >();
    expect(Object.keys(filtered)).to.deep.equal(['cache']);
    const stats = (await a.http('/v1/agent/self')).json<{ Stats: { agent: Record<string, string> } }>().Stats.agent;
    expect(stats).to.deep.equal({ check_monitors: '0', check_ttls: '2', checks: '2', services: '2' });
  });

  it('refuses invalid definitions with 400 and registers nothing', async () => {
    expect((await put('/v1/agent/service/register', { Port: 1 })).status).to.equal(400);
    const badPort = await put('/v1/agent/service/register', { Name: 'x', Port: 70000 });
    expect(badPort.status).to.equal(400);
    expect(badPort.text).to.match(/port/i);
    expect((await put('/v1/agent/service/register', '{not json')).status).to.equal(400);
    // One bad check refuses the whole service.
    const badCheck = await put('/v1/agent/service/register', { Name: 'y', Checks: [{ TTL: '5s' }, { Interval: '5s' }] });
    expect(badCheck.status).to.equal(400);
    expect((await a.http('/v1/agent/services')).json()).to.deep.equal({});
    expect((await a.http('/v1/agent/checks')).json()).to.deep.equal({});
  });

  it('refuses script checks from the API unless enable_script_checks', async () => {
    const r = await put('/v1/agent/service/register', { Name: 's', Check: { Args: ['/bin/true'], Interval: '10s' } });
    expect(r.status).to.equal(400);
    expect(r.text).to.match(/enable_script_checks/);
    expect((await a.http('/v1/agent/services')).json()).to.deep.equal({});
  });

  it('?replace-existing-checks drops checks missing from the new definition', async () => {
    await put('/v1/agent/service/register', {
      Name: 'api',
      Checks: [
        { TTL: '30s', CheckID: 'a' },
        { TTL: '30s', CheckID: 'b' },
      ],
    });
    await put('/v1/agent/service/register', { Name: 'api', Checks: [{ TTL: '30s', CheckID: 'a' }] });
    expect(Object.keys((await a.http('/v1/agent/checks')).json<object>()).sort()).to.deep.equal(['a', 'b']);
    await put('/v1/agent/service/register?replace-existing-checks', { Name: 'api', Checks: [{ TTL: '30s', CheckID: 'a' }] });
    expect(Object.keys((await a.http('/v1/agent/checks')).json<object>())).to.deep.equal(['a']);
  });

  it('deregisters a service with its checks; 404 for unknown IDs', async () => {
    await put('/v1/agent/service/register', { Name: 'web', Check: { TTL: '30s' } });
    expect((await put('/v1/agent/service/deregister/web')).status).to.equal(200);
    expect((await a.http('/v1/agent/services')).json()).to.deep.equal({});
    expect((await a.http('/v1/agent/checks')).json()).to.deep.equal({});
    const again = await put('/v1/agent/service/deregister/web');
    expect(again.status).to.equal(404);
    expect(again.text).to.equal('Unknown service ID "web"');
    expect((await a.http('/v1/agent/service/nope')).status).to.equal(404);
  });

  it('service maintenance adds and removes the _service_maintenance check', async () => {
    await put('/v1/agent/service/register', { Name: 'web' });
    expect((await put('/v1/agent/service/maintenance/web')).status).to.equal(400);
    expect((await put('/v1/agent/service/maintenance/web?enable=maybe')).status).to.equal(400);
    expect((await put('/v1/agent/service/maintenance/nope?enable=true')).status).to.equal(404);
    expect((await put('/v1/agent/service/maintenance/web?enable=true&reason=deploy')).status).to.equal(200);
    const checks = (await a.http('/v1/agent/checks')).json<Record<string, Record<string, unknown>>>();
    expect(checks['_service_maintenance:web']).to.include({
      Status: 'critical',
      Notes: 'deploy',
      ServiceID: 'web',
      Name: 'Service Maintenance Mode',
    });
    await put('/v1/agent/service/maintenance/web?enable=false');
    expect((await a.http('/v1/agent/checks')).json()).to.deep.equal({});
  });

  it('blocks on ?hash until the services change, and returns at once for a stale hash', async () => {
    const first = await a.http('/v1/agent/services');
    const hash = String(first.headers['x-consul-contenthash']);
    const t0 = Date.now();
    const timeout = await a.http(`/v1/agent/services?hash=${hash}&wait=100ms`);
    expect(Date.now() - t0).to.be.at.least(90);
    expect(timeout.headers['x-consul-contenthash']).to.equal(hash);
    const blocked = a.http(`/v1/agent/services?hash=${hash}&wait=5s`);
    await new Promise((r) => setTimeout(r, 50));
    await put('/v1/agent/service/register', { Name: 'late' });
    const woke = await blocked;
    expect(Object.keys(woke.json<object>())).to.deep.equal(['late']);
    expect(woke.headers['x-consul-contenthash']).to.not.equal(hash);
    const t1 = Date.now();
    await a.http(`/v1/agent/services?hash=stale&wait=5s`);
    expect(Date.now() - t1).to.be.below(1000);
  });
});
