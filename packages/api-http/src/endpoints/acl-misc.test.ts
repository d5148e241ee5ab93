import { expect } from 'chai';
import { join } from 'node:path';
import { importPlugin } from '@proconsul/kernel';
import { repoRoot } from '@proconsul/kernel/testing';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

const ROOT = '0b8c1f2e-3d4a-4b5c-8d6e-7f8091a2b3c4';

/** Issue #20 item 10: /v1/acl/rules/translate and /v1/acl/replication (one datacenter: the primary). */
describe('/v1/acl/rules/translate and /v1/acl/replication', () => {
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

  it('translate: legacy rules in, current rules out as text; needs acl:read', async () => {
    const body = 'key "" { policy = "read" }\noperator = "read"';
    const r = await a.http({ method: 'POST', url: '/v1/acl/rules/translate', headers: as(ROOT), body });
    expect(r.status, r.text).to.equal(200);
    expect(r.headers['content-type']).to.match(/^text\/plain/);
    expect(r.text).to.equal('key_prefix "" {\n  policy = "read"\n}\n\noperator = "read"');
    const anon = await a.http({ method: 'POST', url: '/v1/acl/rules/translate', body });
    expect(anon.status).to.equal(403);
    const bad = await a.http({
      method: 'POST',
      url: '/v1/acl/rules/translate',
      headers: as(ROOT),
      body: 'key "a" { policy = 1 }',
    });
    expect(bad.status).to.equal(400);
  });

  it('replication: the primary datacenter replicates nothing, in Consul shape', async () => {
    const r = await a.http('/v1/acl/replication');
    expect(r.status).to.equal(200);
    expect(r.json()).to.deep.equal({
      Enabled: false,
      Running: false,
      SourceDatacenter: 'dc1',
      ReplicationType: '',
      ReplicatedIndex: 0,
      ReplicatedRoleIndex: 0,
      ReplicatedTokenIndex: 0,
      LastSuccess: '0001-01-01T00:00:00Z',
      LastError: '0001-01-01T00:00:00Z',
      LastErrorMessage: '',
    });
    expect((await a.http('/v1/acl/replication?dc=dc9')).text).to.equal('No path to datacenter');
  });
});
