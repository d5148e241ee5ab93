import { expect } from 'chai';
import { join } from 'node:path';
import { importPlugin } from '@proconsul/kernel';
import { repoRoot } from '@proconsul/kernel/testing';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('?cached: the agent cache (background refresh, as Consul)', function () {
  this.timeout(20_000);
  let a: InProcessAgent;
  const register = (node: string, service = 'web', port = 80) =>
    a.http({
      method: 'PUT',
      url: '/v1/catalog/register',
      body: { Node: node, Address: '10.0.0.9', Service: { Service: service, Port: port } },
    });
  const nodes = (r: { json<T>(): T }) => r.json<{ Node: string }[]>().map((s) => s.Node);

  describe('without ACLs', () => {
    beforeEach(async () => {
      a = await startInProcessAgent();
      expect((await register('host-a')).status).to.equal(200);
    });
    afterEach(() => a.stop());

    for (const url of ['/v1/health/service/web', '/v1/catalog/service/web', '/v1/catalog/services']) {
      it(`${url}: MISS, then HIT with Age, same body and index as the uncached read`, async () => {
        const miss = await a.http(`${url}?cached`);
        expect(miss.status).to.equal(200);
        expect(miss.headers['x-cache']).to.equal('MISS');
        expect(miss.headers['age']).to.equal(undefined);
        const hit = await a.http(`${url}?cached`);
        expect(hit.headers['x-cache']).to.equal('HIT');
        expect(hit.headers['age']).to.equal('0'); // the background watch is healthy
        const plain = await a.http(url);
        expect(hit.text).to.equal(plain.text);
        expect(hit.headers['x-consul-index']).to.equal(plain.headers['x-consul-index']);
        // A request without ?cached is untouched: no cache headers.
        expect(plain.headers['x-cache']).to.equal(undefined);
        expect(plain.headers['age']).to.equal(undefined);
      });
    }

    it('a write reaches the cached value through the background watch (still a HIT)', async () => {
      await a.http('/v1/health/service/web?cached');
      expect((await register('host-b')).status).to.equal(200);
      let r = await a.http('/v1/health/service/web?cached');
      for (let i = 0; i < 50 && r.json<unknown[]>().length < 2; i++) {
        await sleep(10);
        r = await a.http('/v1/health/service/web?cached');
      }
      expect(r.headers['x-cache']).to.equal('HIT');
      expect(r.json<{ Node: { Node: string } }[]>().map((e) => e.Node.Node)).to.deep.equal(['host-a', 'host-b']);
    });

    it('a blocking ?cached read waits for the next change and is answered from the cache', async () => {
      const first = await a.http('/v1/catalog/service/web?cached');
      const index = first.headers['x-consul-index'];
      const pending = a.http(`/v1/catalog/service/web?cached&index=${index}&wait=5s`);
      await sleep(30);
      await register('host-c');
      const r = await pending;
      expect(r.headers['x-cache']).to.equal('HIT');
      expect(Number(r.headers['x-consul-index'])).to.be.greaterThan(Number(index));
      expect(nodes(r)).to.deep.equal(['host-a', 'host-c']);
      // Nothing changes: the wait runs out with the same index.
      const idle = await a.http(`/v1/catalog/service/web?cached&index=${r.headers['x-consul-index']}&wait=50ms`);
      expect(idle.headers['x-consul-index']).to.equal(r.headers['x-consul-index']);
    });

    it('Cache-Control max-age is ignored for background-refresh endpoints, as Consul documents', async () => {
      await a.http('/v1/catalog/service/web?cached');
      const r = await a.http({ url: '/v1/catalog/service/web?cached', headers: { 'Cache-Control': 'max-age=0' } });
      expect(r.headers['x-cache']).to.equal('HIT');
      expect(nodes(r)).to.deep.equal(['host-a']);
    });

    it('?cached with ?consistent is a 400; separate arguments are separate entries', async () => {
      const bad = await a.http('/v1/health/service/web?cached&consistent');
      expect(bad.status).to.equal(400);
      expect(bad.text).to.contain('?cached with ?consistent');
      await a.http('/v1/health/service/web?cached');
      const passing = await a.http('/v1/health/service/web?cached&passing');
      expect(passing.headers['x-cache']).to.equal('MISS');
      const other = await a.http('/v1/health/service/api?cached');
      expect(other.headers['x-cache']).to.equal('MISS');
      expect(other.json<unknown[]>()).to.deep.equal([]);
    });
  });

  describe('with ACLs (default deny)', () => {
    const ROOT = '5a0c7f2e-1b6d-4d1e-9f3a-7e2b8c4d6a10';
    let webOnly = '';
    before(async () => {
      a = await startInProcessAgent(
        { acl: { enabled: true, defaultPolicy: 'deny', downPolicy: 'extend-cache', tokens: { initial_management: ROOT } } },
        { plugins: [await importPlugin('@proconsul/acl', join(repoRoot(), 'plugins.json'))] },
      );
      const as = { 'X-Consul-Token': ROOT };
      for (let i = 0; i < 100 && (await a.http({ url: '/v1/acl/token/self', headers: as })).status !== 200; i++) await sleep(20);
      for (const [node, svc] of [
        ['host-a', 'web'],
        ['secret-host', 'web'],
      ]) {
        const r = await a.http({
          method: 'PUT',
          url: '/v1/catalog/register',
          headers: as,
          body: { Node: node, Address: '10.0.0.9', Service: { Service: svc, Port: 80 } },
        });
        expect(r.status, r.text).to.equal(200);
      }
      const pol = await a.http({
        method: 'PUT',
        url: '/v1/acl/policy',
        headers: as,
        body: { Name: 'web-a', Rules: 'service "web" { policy = "read" }\nnode "host-a" { policy = "read" }' },
      });
      expect(pol.status, pol.text).to.equal(200);
      const tok = await a.http({ method: 'PUT', url: '/v1/acl/token', headers: as, body: { Policies: [{ Name: 'web-a' }] } });
      webOnly = tok.json<{ SecretID: string }>().SecretID;
    });
    after(() => a.stop());

    it("two tokens never see each other's cached results", async () => {
      const root = await a.http({ url: '/v1/catalog/service/web?cached', headers: { 'X-Consul-Token': ROOT } });
      expect(nodes(root)).to.deep.equal(['host-a', 'secret-host']);
      // The narrower token's first cached read is its own MISS, not the management token's entry.
      const first = await a.http({ url: '/v1/catalog/service/web?cached', headers: { 'X-Consul-Token': webOnly } });
      expect(first.headers['x-cache']).to.equal('MISS');
      expect(nodes(first)).to.deep.equal(['host-a']);
      const second = await a.http({ url: '/v1/catalog/service/web?cached', headers: { 'X-Consul-Token': webOnly } });
      expect(second.headers['x-cache']).to.equal('HIT');
      expect(nodes(second)).to.deep.equal(['host-a']);
      const anon = await a.http('/v1/catalog/service/web?cached');
      expect(anon.headers['x-cache']).to.equal('MISS');
      expect(anon.json<unknown[]>()).to.deep.equal([]);
      const rootAgain = await a.http({ url: '/v1/catalog/service/web?cached', headers: { 'X-Consul-Token': ROOT } });
      expect(rootAgain.headers['x-cache']).to.equal('HIT');
      expect(nodes(rootAgain)).to.deep.equal(['host-a', 'secret-host']);
    });
  });
});
