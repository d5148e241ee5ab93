import { expect } from 'chai';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

/** Issue #20: the mesh reads tools call, answered as Consul answers them without Connect. */
describe('Connect endpoints without Connect', () => {
  let a: InProcessAgent;
  before(async () => {
    a = await startInProcessAgent();
    const r = await a.http({
      method: 'PUT',
      url: '/v1/catalog/register',
      body: { Node: 'n1', Address: '10.0.0.1', Service: { Service: 'web', Port: 80 } },
    });
    expect(r.status).to.equal(200);
  });
  after(() => a.stop());

  for (const url of [
    '/v1/health/connect/web',
    '/v1/catalog/connect/web',
    '/v1/catalog/gateway-services/gw',
    '/v1/health/ingress/web',
  ]) {
    it(`GET ${url}: 200 [] with Consul's query headers`, async () => {
      const r = await a.http(url);
      expect(r.status).to.equal(200);
      expect(r.json()).to.deep.equal([]);
      expect(Number(r.headers['x-consul-index'])).to.be.greaterThan(0);
      expect(r.headers['x-consul-knownleader']).to.equal('true');
      expect(r.headers['x-consul-effective-consistency']).to.equal('leader');
    });
  }

  it('a blocking health/connect read waits for its service instead of answering at once', async () => {
    const first = await a.http('/v1/health/connect/web');
    const index = first.headers['x-consul-index'] as string;
    const started = Date.now();
    const r = await a.http(`/v1/health/connect/web?index=${index}&wait=200ms`);
    expect(Date.now() - started).to.be.at.least(150);
    expect(r.json()).to.deep.equal([]);
  });

  for (const url of ['/v1/connect/ca/roots', '/v1/agent/connect/ca/roots']) {
    it(`GET ${url}: Consul's "Connect must be enabled" 500`, async () => {
      const r = await a.http(url);
      expect(r.status).to.equal(500);
      expect(r.text).to.equal('Connect must be enabled in order to use this endpoint');
    });
  }
});
