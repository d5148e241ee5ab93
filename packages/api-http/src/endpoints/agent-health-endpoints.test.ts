import { expect } from 'chai';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

describe('/v1/agent/health/service/*', () => {
  let a: InProcessAgent;
  beforeEach(async () => (a = await startInProcessAgent()));
  afterEach(() => a.stop());
  const put = (url: string, body?: string | object) => a.http({ method: 'PUT', url, ...(body !== undefined ? { body } : {}) });

  it('by ID: 200 passing, 429 warning, 503 critical, with the aggregated body and ?format=text', async () => {
    await put('/v1/agent/service/register', { Name: 'web', ID: 'web-1', Check: { TTL: '1m', CheckID: 'c' } });
    const crit = await a.http('/v1/agent/health/service/id/web-1');
    expect(crit.status).to.equal(503);
    const body = crit.json<{ AggregatedStatus: string; Service: { ID: string }; Checks: { CheckID: string }[] }>();
    expect(body.AggregatedStatus).to.equal('critical');
    expect(body.Service.ID).to.equal('web-1');
    expect(body.Checks.map((c) => c.CheckID)).to.deep.equal(['c']);
    await put('/v1/agent/check/warn/c');
    expect((await a.http('/v1/agent/health/service/id/web-1')).status).to.equal(429);
    await put('/v1/agent/check/pass/c');
    const ok = await a.http('/v1/agent/health/service/id/web-1?format=text');
    expect(ok.status).to.equal(200);
    expect(ok.text).to.equal('passing');
  });

  it('counts node checks and maintenance (which wins)', async () => {
    await put('/v1/agent/service/register', { Name: 'web', Check: { TTL: '1m', Status: 'passing' } });
    expect((await a.http('/v1/agent/health/service/id/web')).status).to.equal(200);
    await put('/v1/agent/check/register', { Name: 'disk', TTL: '1m', Status: 'warning' });
    expect((await a.http('/v1/agent/health/service/id/web')).status).to.equal(429);
    await put('/v1/agent/service/maintenance/web?enable=true');
    const m = await a.http('/v1/agent/health/service/id/web?format=text');
    expect(m.status).to.equal(503);
    expect(m.text).to.equal('maintenance');
  });

  it('by name: the worst instance decides; unknown names and IDs are 404', async () => {
    await put('/v1/agent/service/register', { Name: 'api', ID: 'api-1', Check: { TTL: '1m', Status: 'passing' } });
    await put('/v1/agent/service/register', { Name: 'api', ID: 'api-2', Check: { TTL: '1m', Status: 'warning' } });
    const r = await a.http('/v1/agent/health/service/name/api');
    expect(r.status).to.equal(429);
    expect(
      r
        .json<{ AggregatedStatus: string }[]>()
        .map((x) => x.AggregatedStatus)
        .sort(),
    ).to.deep.equal(['passing', 'warning']);
    const none = await a.http('/v1/agent/health/service/name/nope?format=text');
    expect(none.status).to.equal(404);
    expect(none.text).to.equal('ServiceName nope Not Found');
    expect((await a.http('/v1/agent/health/service/name/nope')).json()).to.deep.equal([]);
    const noId = await a.http('/v1/agent/health/service/id/nope');
    expect(noId.status).to.equal(404);
    expect(noId.json()).to.deep.equal({ AggregatedStatus: 'critical', Service: null, Checks: null });
    expect((await a.http('/v1/agent/health/service/id/nope?format=text')).text).to.equal('ServiceId nope not found');
  });

  it('blocks on ?hash until the health changes', async () => {
    await put('/v1/agent/service/register', { Name: 'web', Check: { TTL: '1m', CheckID: 'c' } });
    const first = await a.http('/v1/agent/health/service/name/web');
    const blocked = a.http(`/v1/agent/health/service/name/web?hash=${String(first.headers['x-consul-contenthash'])}&wait=5s`);
    await new Promise((r) => setTimeout(r, 30));
    await put('/v1/agent/check/pass/c');
    expect((await blocked).status).to.equal(200);
  });
});
