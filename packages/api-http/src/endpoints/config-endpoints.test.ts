import { expect } from 'chai';
import { join } from 'node:path';
import { importPlugin } from '@proconsul/kernel';
import { repoRoot } from '@proconsul/kernel/testing';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

interface Entry {
  Kind: string;
  Name: string;
  Protocol?: string;
  CreateIndex: number;
  ModifyIndex: number;
}

/** Issue #20: `/v1/config` config entries, stored, validated and returned as Consul does. */
describe('/v1/config (config entries)', () => {
  let a: InProcessAgent;
  before(async () => {
    a = await startInProcessAgent();
  });
  after(() => a.stop());
  const put = (body: string | object, query = '') => a.http({ method: 'PUT', url: `/v1/config${query}`, body });

  it('PUT stores an entry (true); GET returns it with indexes; snake_case keys are accepted', async () => {
    const w = await put({ kind: 'service-defaults', name: 'web', protocol: 'http' });
    expect(w.status, w.text).to.equal(200);
    expect(w.json()).to.equal(true);
    const r = await a.http('/v1/config/service-defaults/web');
    expect(r.status).to.equal(200);
    const e = r.json<Entry>();
    expect(e).to.include({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' });
    expect(e.CreateIndex).to.be.greaterThan(0);
    expect(e.ModifyIndex).to.equal(e.CreateIndex);
    expect(Number(r.headers['x-consul-index'])).to.be.at.least(e.ModifyIndex);
  });

  it('?cas: 0 only creates; another index only replaces that version', async () => {
    expect((await put({ Kind: 'service-defaults', Name: 'api', Protocol: 'grpc' }, '?cas=0')).json()).to.equal(true);
    expect((await put({ Kind: 'service-defaults', Name: 'api', Protocol: 'http' }, '?cas=0')).json()).to.equal(false);
    const e = (await a.http('/v1/config/service-defaults/api')).json<Entry>();
    expect(
      (await put({ Kind: 'service-defaults', Name: 'api', Protocol: 'http' }, `?cas=${e.ModifyIndex + 100}`)).json(),
    ).to.equal(false);
    expect((await put({ Kind: 'service-defaults', Name: 'api', Protocol: 'http' }, `?cas=${e.ModifyIndex}`)).json()).to.equal(
      true,
    );
    const after = (await a.http('/v1/config/service-defaults/api')).json<Entry>();
    expect(after.Protocol).to.equal('http');
    expect(after.CreateIndex).to.equal(e.CreateIndex);
    expect(after.ModifyIndex).to.be.greaterThan(e.ModifyIndex);
    expect((await put({ Kind: 'service-defaults', Name: 'api' }, '?cas=x')).status).to.equal(400);
  });

  it('GET /v1/config/:kind lists that kind only', async () => {
    await put({ Kind: 'proxy-defaults', Name: 'global', Config: { protocol: 'http' } });
    const list = (await a.http('/v1/config/service-defaults')).json<Entry[]>();
    expect(list.map((e) => e.Name)).to.include.members(['web', 'api']);
    expect(list.every((e) => e.Kind === 'service-defaults')).to.equal(true);
    const proxies = (await a.http('/v1/config/proxy-defaults')).json<Entry[]>();
    expect(proxies.map((e) => e.Name)).to.deep.equal(['global']);
  });

  it('DELETE removes it ({}); with ?cas it answers whether it deleted; a missing entry is a 404', async () => {
    await put({ Kind: 'service-defaults', Name: 'gone', Protocol: 'tcp' });
    const e = (await a.http('/v1/config/service-defaults/gone')).json<Entry>();
    const stale = await a.http({ method: 'DELETE', url: `/v1/config/service-defaults/gone?cas=${e.ModifyIndex + 1}` });
    expect(stale.json()).to.equal(false);
    const ok = await a.http({ method: 'DELETE', url: `/v1/config/service-defaults/gone?cas=${e.ModifyIndex}` });
    expect(ok.json()).to.equal(true);
    const r = await a.http('/v1/config/service-defaults/gone');
    expect(r.status).to.equal(404);
    expect(r.text).to.equal('Config entry not found for "service-defaults" / "gone"');
    expect(r.headers['x-consul-index']).to.be.a('string');
    const plain = await a.http({ method: 'DELETE', url: '/v1/config/service-defaults/web' });
    expect(plain.status).to.equal(200);
    expect(plain.json()).to.deep.equal({});
  });

  it('validates as Consul does: 400 with the reason', async () => {
    const cases: [string | object, RegExp][] = [
      [{ Name: 'x' }, /does not contain a Kind/],
      [{ Kind: 'nope', Name: 'x' }, /invalid config entry kind: nope/],
      [{ Kind: 'service-defaults' }, /Name is required/],
      [{ Kind: 'proxy-defaults', Name: 'mine' }, /only "global" is supported/],
      [
        { Kind: 'service-resolver', Name: 'db', DefaultSubset: 'v9', Subsets: { v1: {} } },
        /DefaultSubset "v9" is not a valid subset/,
      ],
      [{ Kind: 'service-resolver', Name: 'db', ConnectTimeout: 'soon' }, /ConnectTimeout/],
      [{ Kind: 'service-splitter', Name: 'db', Splits: [{ Weight: 60 }, { Weight: 30 }] }, /must be 100, not 90/],
      ['[1]', /.+/],
    ];
    for (const [body, reason] of cases) {
      const r = await put(body);
      expect(r.status, JSON.stringify(body)).to.equal(400);
      expect(r.text).to.match(reason);
    }
    expect((await a.http('/v1/config/nope/x')).status).to.equal(400);
    const ok = await put({
      Kind: 'service-resolver',
      Name: 'db',
      DefaultSubset: 'v1',
      Subsets: { v1: { Filter: 'x' } },
      ConnectTimeout: '5s',
    });
    expect(ok.json()).to.equal(true);
  });

  it('a blocking GET waits for a change of the entry', async () => {
    const first = await a.http('/v1/config/service-defaults/blocking');
    const index = first.headers['x-consul-index'] as string;
    setTimeout(() => void put({ Kind: 'service-defaults', Name: 'blocking', Protocol: 'http2' }), 100);
    const r = await a.http(`/v1/config/service-defaults/blocking?index=${index}&wait=5s`);
    expect(r.status).to.equal(200);
    expect(r.json<Entry>().Protocol).to.equal('http2');
  });
});

const ROOT = '1c9d2f3e-4d5a-4b6c-9d7e-8f9012a3b4c5';

describe('/v1/config with ACLs (default deny)', () => {
  let a: InProcessAgent;
  const as = (t: string | undefined): Record<string, string> => (t ? { 'X-Consul-Token': t } : {});
  before(async () => {
    a = await startInProcessAgent(
      { acl: { enabled: true, defaultPolicy: 'deny', downPolicy: 'extend-cache', tokens: { initial_management: ROOT } } },
      { plugins: [await importPlugin('@proconsul/acl', join(repoRoot(), 'plugins.json'))] },
    );
    for (let i = 0; i < 100 && (await a.http({ url: '/v1/acl/token/self', headers: as(ROOT) })).status !== 200; i++)
      await new Promise((r) => setTimeout(r, 20));
  });
  after(() => a?.stop());

  it('service kinds need service:write on the name to write and service:read to read; proxy-defaults needs operator:write, any token reads it', async () => {
    const policy = await a.http({
      method: 'PUT',
      url: '/v1/acl/policy',
      headers: as(ROOT),
      body: { Name: 'web-only', Rules: 'service "web" { policy = "write" }' },
    });
    expect(policy.status, policy.text).to.equal(200);
    const tok = await a.http({
      method: 'PUT',
      url: '/v1/acl/token',
      headers: as(ROOT),
      body: { Policies: [{ Name: 'web-only' }] },
    });
    const web = tok.json<{ SecretID: string }>().SecretID;
    const put = (body: object, t?: string) => a.http({ method: 'PUT', url: '/v1/config', headers: as(t), body });
    expect((await put({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' }, web)).status).to.equal(200);
    expect((await put({ Kind: 'service-defaults', Name: 'db', Protocol: 'http' }, web)).status).to.equal(403);
    expect((await put({ Kind: 'proxy-defaults', Name: 'global' }, web)).status).to.equal(403);
    expect((await put({ Kind: 'proxy-defaults', Name: 'global' }, ROOT)).status).to.equal(200);
    expect((await put({ Kind: 'service-defaults', Name: 'db', Protocol: 'tcp' }, ROOT)).status).to.equal(200);
    // Reads: the list holds only what the token may read; a hidden entry is "not found".
    const list = (await a.http({ url: '/v1/config/service-defaults', headers: as(web) })).json<Entry[]>();
    expect(list.map((e) => e.Name)).to.deep.equal(['web']);
    expect((await a.http({ url: '/v1/config/service-defaults/db', headers: as(web) })).status).to.equal(404);
    expect((await a.http({ url: '/v1/config/proxy-defaults/global' })).status).to.equal(200);
    expect((await a.http({ method: 'DELETE', url: '/v1/config/service-defaults/db', headers: as(web) })).status).to.equal(403);
  });
});
