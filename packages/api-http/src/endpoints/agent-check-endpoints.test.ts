import { expect } from 'chai';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';
import { ProbeControl, testCheckTypes } from '../test-support/agent-test-support.js';

describe('/v1/agent/check*', () => {
  let a: InProcessAgent;
  beforeEach(async () => (a = await startInProcessAgent({}, { plugins: [testCheckTypes(new ProbeControl())] })));
  afterEach(() => a.stop());
  const put = (url: string, body?: string | object) => a.http({ method: 'PUT', url, ...(body !== undefined ? { body } : {}) });
  const check = async (id: string) => (await a.http('/v1/agent/checks')).json<Record<string, Record<string, unknown>>>()[id];

  it('registers a node TTL check and drives it with pass/warn/fail/update', async () => {
    expect((await put('/v1/agent/check/register', { name: 'mem', ttl: '1h', notes: 'memory' })).status).to.equal(200);
    expect(await check('mem')).to.include({
      Node: 'node-1',
      CheckID: 'mem',
      Name: 'mem',
      Status: 'critical',
      Notes: 'memory',
      ServiceID: '',
      Type: 'ttl',
    });
    expect((await put('/v1/agent/check/pass/mem?note=fine')).status).to.equal(200);
    expect(await check('mem')).to.include({ Status: 'passing', Output: 'fine' });
    await put('/v1/agent/check/warn/mem?note=hmm');
    expect(await check('mem')).to.include({ Status: 'warning', Output: 'hmm' });
    await put('/v1/agent/check/fail/mem');
    expect(await check('mem')).to.include({ Status: 'critical', Output: '' });
    expect((await put('/v1/agent/check/update/mem', { Status: 'passing', Output: 'via update' })).status).to.equal(200);
    expect(await check('mem')).to.include({ Status: 'passing', Output: 'via update' });
    expect((await put('/v1/agent/check/update/mem', { status: 'warning', output: 'lower case' })).status).to.equal(200);
    expect(await check('mem')).to.include({ Status: 'warning', Output: 'lower case' });
  });

  it('answers TTL updates with Consul errors: 404 unknown, 500 not a TTL check, 400 bad status', async () => {
    const unknown = await put('/v1/agent/check/pass/nope');
    expect(unknown.status).to.equal(404);
    expect(unknown.text).to.match(/Unknown check ID "nope"/);
    await put('/v1/agent/check/register', { Name: 'probe', Probe: true, Interval: '10s' });
    const notTtl = await put('/v1/agent/check/pass/probe');
    expect(notTtl.status).to.equal(500);
    expect(notTtl.text).to.match(/does not have associated TTL/);
    await put('/v1/agent/check/register', { Name: 'ttl', TTL: '1m' });
    const bad = await put('/v1/agent/check/update/ttl', { Status: 'fine' });
    expect(bad.status).to.equal(400);
    expect(bad.text).to.equal("Invalid check status: 'fine'");
  });

  it('refuses bad check registrations with 400', async () => {
    expect((await put('/v1/agent/check/register', { TTL: '10s' })).status).to.equal(400); // no name
    const noService = await put('/v1/agent/check/register', { Name: 'c', TTL: '10s', ServiceID: 'ghost' });
    expect(noService.status).to.equal(400);
    expect(noService.text).to.equal('ServiceID "ghost" does not exist');
    expect((await put('/v1/agent/check/register', { Name: 'c' })).status).to.equal(400); // no type
    expect((await put('/v1/agent/check/register', { Name: 'c', Args: ['true'], Interval: '5s' })).status).to.equal(400); // script from API
    expect((await a.http('/v1/agent/checks')).json()).to.deep.equal({});
  });

  it('attaches a check to a local service and deregisters checks (404 when unknown)', async () => {
    await put('/v1/agent/service/register', { Name: 'web', Tags: ['t'] });
    await put('/v1/agent/check/register', { Name: 'web-ttl', TTL: '1m', ServiceID: 'web' });
    expect(await check('web-ttl')).to.include({ ServiceID: 'web', ServiceName: 'web' });
    expect((await check('web-ttl'))!['ServiceTags']).to.deep.equal(['t']);
    expect((await put('/v1/agent/check/deregister/web-ttl')).status).to.equal(200);
    expect(await check('web-ttl')).to.equal(undefined);
    expect((await put('/v1/agent/check/deregister/web-ttl')).status).to.equal(404);
  });

  it('node maintenance adds _node_maintenance and removes it', async () => {
    expect((await put('/v1/agent/maintenance')).status).to.equal(400);
    expect((await put('/v1/agent/maintenance?enable=true')).status).to.equal(200);
    expect(await check('_node_maintenance')).to.include({
      Status: 'critical',
      Type: 'maintenance',
      Name: 'Node Maintenance Mode',
    });
    expect(String((await check('_node_maintenance'))!['Notes'])).to.match(/no reason was provided/);
    await put('/v1/agent/maintenance?enable=false');
    expect(await check('_node_maintenance')).to.equal(undefined);
  });

  it('blocks /v1/agent/checks on ?hash until a status changes', async () => {
    await put('/v1/agent/check/register', { Name: 'ttl', TTL: '1m' });
    const hash = String((await a.http('/v1/agent/checks')).headers['x-consul-contenthash']);
    const blocked = a.http(`/v1/agent/checks?hash=${hash}&wait=5s`);
    await new Promise((r) => setTimeout(r, 30));
    await put('/v1/agent/check/pass/ttl');
    const woke = await blocked;
    expect(woke.json<Record<string, { Status: string }>>()['ttl']!.Status).to.equal('passing');
  });
});
