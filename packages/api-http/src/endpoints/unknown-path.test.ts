import { expect } from 'chai';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

/** Issue #20 items 9, 10 and 12: what a path or method we do not serve answers, as Consul does. */
describe('paths and methods nothing serves', () => {
  let a: InProcessAgent;
  before(async () => {
    a = await startInProcessAgent();
    const r = await a.http({ method: 'PUT', url: '/v1/kv/k', body: 'v' });
    expect(r.status).to.equal(200);
  });
  after(() => a.stop());

  for (const url of ['/v1/peering/abc', '/v1/coordinate/unknown', '/v1/snapshot', '/v1/no/such/thing']) {
    it(`GET ${url}: 404 with X-Consul-Index and the other query headers`, async () => {
      const r = await a.http(url);
      expect(r.status).to.equal(404);
      expect(Number(r.headers['x-consul-index'])).to.be.greaterThan(0);
      // The index came from a real read, not a placeholder.
      expect(r.headers['x-consul-knownleader']).to.equal('true');
      expect(r.text).to.equal(`Unsupported endpoint: ${url}`);
    });
  }

  it('PUT on an unknown /v1/ path is a 404 with the header too; a path outside /v1/ is a bare 404', async () => {
    const put = await a.http({ method: 'PUT', url: '/v1/peering/token', body: {} });
    expect(put.status).to.equal(404);
    expect(put.headers['x-consul-index']).to.be.a('string');
    const other = await a.http('/not-api');
    expect(other.status).to.equal(404);
    expect(other.headers['x-consul-index']).to.equal(undefined);
  });

  it('a wrong method on a served path is 405 with Allow (OPTIONS first, as Consul), never 501', async () => {
    for (const method of ['DELETE', 'TRACE', 'PROPFIND', 'PATCH']) {
      const r = await a.http({ method, url: '/v1/catalog/nodes' });
      expect(r.status, method).to.equal(405);
      expect(r.headers['allow']).to.equal('OPTIONS,GET');
      expect(r.text).to.equal(`method ${method} not allowed`);
    }
    const kv = await a.http({ method: 'TRACE', url: '/v1/kv/k' });
    expect(kv.status).to.equal(405);
    expect(kv.headers['allow']).to.equal('OPTIONS,GET,PUT,DELETE');
  });

  it('OPTIONS on a served path is 200 with Allow', async () => {
    const r = await a.http({ method: 'OPTIONS', url: '/v1/kv/k' });
    expect(r.status).to.equal(200);
    expect(r.headers['allow']).to.equal('OPTIONS,GET,PUT,DELETE');
  });

  // Decision (docs/api-coverage.md): current Consul answers 405 here; Consul <= 1.0 clients that
  // deregister with GET must be updated, as they must be for Consul itself.
  for (const url of ['/v1/agent/check/deregister/c1', '/v1/agent/service/deregister/s1']) {
    it(`GET ${url} is 405 with Allow: OPTIONS,PUT, as current Consul`, async () => {
      const r = await a.http(url);
      expect(r.status).to.equal(405);
      expect(r.headers['allow']).to.equal('OPTIONS,PUT');
    });
  }
});
