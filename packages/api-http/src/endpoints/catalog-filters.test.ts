import { expect } from 'chai';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

const q = (expr: string) => encodeURIComponent(expr);

/** Issue #20 items 6 and 7: list filters applied (or a 400), and the body's Datacenter routed. */
describe('catalog and health filters (?filter=, ?node-meta=) and body Datacenter', () => {
  let a: InProcessAgent;
  const put = (url: string, body: object) => a.http({ method: 'PUT', url, body });
  before(async () => {
    a = await startInProcessAgent();
    for (const [node, rack, svc, tag, status] of [
      ['n1', 'a', 'web', 'v1', 'passing'],
      ['n2', 'b', 'db', 'primary', 'critical'],
    ] as const) {
      const r = await put('/v1/catalog/register', {
        Node: node,
        Address: '10.0.0.1',
        NodeMeta: { rack },
        Service: { Service: svc, Tags: [tag], Port: 80 },
        Check: { CheckID: `${svc}-check`, Name: svc, ServiceID: svc, Status: status },
      });
      expect(r.status, r.text).to.equal(200);
    }
  });
  after(() => a.stop());

  it('/v1/catalog/services applies ?node-meta= to the nodes of each instance', async () => {
    const r = await a.http('/v1/catalog/services?node-meta=rack:a');
    expect(r.status).to.equal(200);
    expect(r.json()).to.deep.equal({ web: ['v1'] });
    expect(r.headers['x-consul-index']).to.be.a('string');
    expect((await a.http('/v1/catalog/services?node-meta=rack:a&node-meta=rack:b')).json()).to.deep.equal({ db: ['primary'] });
    expect((await a.http('/v1/catalog/services?node-meta=rack:z')).json()).to.deep.equal({});
  });

  it('/v1/catalog/services applies ?filter= to instances (ServiceNode fields), then lists names and tags', async () => {
    expect((await a.http(`/v1/catalog/services?filter=${q('ServiceTags contains "primary"')}`)).json()).to.deep.equal({
      db: ['primary'],
    });
    expect((await a.http(`/v1/catalog/services?filter=${q('NodeMeta.rack == "a"')}`)).json()).to.deep.equal({ web: ['v1'] });
    expect(
      (await a.http(`/v1/catalog/services?filter=${q('ServiceName != "web" and ServiceName != "db"')}`)).json(),
    ).to.deep.equal({});
  });

  it('a malformed or unknown-field filter is a 400 with a plain-text reason, even on an empty result', async () => {
    for (const url of [
      `/v1/catalog/services?filter=${q('"" ==')}`,
      `/v1/catalog/services?filter=${q('NoSuchField == "x"')}`,
      `/v1/catalog/node/n1?filter=${q('((')}`,
      `/v1/catalog/service/none?filter=${q('((')}`,
      `/v1/health/state/any?filter=${q('((')}`,
      `/v1/health/connect/web?filter=${q('((')}`,
      `/v1/internal/ui/services?filter=${q('((')}`,
      `/v1/internal/ui/nodes?filter=${q('((')}`,
    ]) {
      const r = await a.http(url);
      expect(r.status, `${url}: ${r.text}`).to.equal(400);
      expect(r.headers['content-type']).to.match(/^text\/plain/);
      expect(r.text).to.match(/^Failed to create boolean expression evaluator|Selector/);
    }
  });

  it('a malformed filter on a blocking read is refused at once, not after the wait', async () => {
    const started = Date.now();
    for (const url of ['/v1/health/service/web', '/v1/catalog/nodes', '/v1/catalog/node/n1', '/v1/catalog/services']) {
      const r = await a.http(`${url}?index=999999&wait=5s&filter=${q('((')}`);
      expect(r.status, url).to.equal(400);
    }
    expect(Date.now() - started).to.be.lessThan(2_000);
  });

  it('/v1/catalog/node/:n applies ?filter= to its services', async () => {
    const keep = await a.http(`/v1/catalog/node/n1?filter=${q('Service == "web"')}`);
    expect(Object.keys(keep.json<{ Services: object }>().Services)).to.deep.equal(['web']);
    const drop = await a.http(`/v1/catalog/node/n1?filter=${q('Service == "db"')}`);
    expect(drop.json<{ Services: object }>().Services).to.deep.equal({});
  });

  it('/v1/health/state/:s and /v1/health/checks/:s apply ?node-meta=', async () => {
    const ids = async (url: string) => (await a.http(url)).json<{ CheckID: string }[]>().map((c) => c.CheckID);
    expect(await ids('/v1/health/state/any?node-meta=rack:b')).to.deep.equal(['db-check']);
    expect(await ids('/v1/health/state/critical?node-meta=rack:a')).to.deep.equal([]);
    expect(await ids('/v1/health/checks/web?node-meta=rack:a')).to.deep.equal(['web-check']);
    expect(await ids('/v1/health/checks/web?node-meta=rack:b')).to.deep.equal([]);
  });

  it('a blocking /v1/catalog/services?node-meta= wakes when a matching instance appears', async () => {
    const first = await a.http('/v1/catalog/services?node-meta=rack:a');
    const index = first.headers['x-consul-index'] as string;
    const waiting = a.http(`/v1/catalog/services?node-meta=rack:a&index=${index}&wait=5s`);
    await new Promise((r) => setTimeout(r, 50));
    await put('/v1/catalog/register', {
      Node: 'n3',
      Address: '10.0.0.3',
      NodeMeta: { rack: 'a' },
      Service: { Service: 'cache', Port: 1 },
    });
    const woke = await waiting;
    expect(woke.json()).to.deep.equal({ cache: [], web: ['v1'] });
    expect(Number(woke.headers['x-consul-index'])).to.be.greaterThan(Number(index));
  });

  it('catalog/register and catalog/deregister route by the body Datacenter: another one has no path', async () => {
    const reg = await put('/v1/catalog/register', { Datacenter: 'dc2', Node: 'x', Address: '10.0.0.9' });
    expect(reg.status).to.equal(500);
    expect(reg.text).to.equal('No path to datacenter');
    const dereg = await put('/v1/catalog/deregister', { Datacenter: 'dc2', Node: 'n1' });
    expect(dereg.status).to.equal(500);
    expect(dereg.text).to.equal('No path to datacenter');
    expect((await a.http('/v1/catalog/node/x')).json()).to.equal(null);
    expect((await a.http('/v1/catalog/node/n1')).json()).to.not.equal(null);
    // The local datacenter (any case), or none, works.
    expect((await put('/v1/catalog/register', { Datacenter: 'DC1', Node: 'x', Address: '10.0.0.9' })).status).to.equal(200);
    expect((await put('/v1/catalog/deregister', { datacenter: 'dc1', Node: 'x' })).status).to.equal(200);
    expect((await a.http('/v1/catalog/node/x')).json()).to.equal(null);
  });
});
