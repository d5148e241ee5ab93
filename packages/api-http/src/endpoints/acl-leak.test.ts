import { expect } from 'chai';
import { join } from 'node:path';
import { importPlugin } from '@proconsul/kernel';
import { repoRoot } from '@proconsul/kernel/testing';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

const ROOT = '7c6b5a49-3827-4165-9e4d-3c2b1a0f9e8d';
const VALUE = 'value-that-must-not-leak';

/** Names and values only the management token may see; none may appear in any answer to the others. */
const MARKERS = [
  'secret/db-password',
  VALUE,
  Buffer.from(VALUE).toString('base64'),
  'hidden-node',
  'hidden-svc',
  'hidden-agent-svc',
  '10.9.9.9',
  ROOT,
];

/**
 * A leak test: every list, point and blocking read endpoint, walked with the anonymous
 * token and with a narrow token (user events need gossip, so they are walked by the
 * multi-process attack suite's agents, not here), must not reveal what their rules do not grant — in a
 * listing, an error message, a blocking answer or a filtered view.
 */
describe('ACL leak walk: no list, point or blocking endpoint reveals what a token may not read', function () {
  this.timeout(30_000);
  let a: InProcessAgent;
  let narrow = '';
  let sessionId = '';
  const as = (t: string | undefined): Record<string, string> => (t ? { 'X-Consul-Token': t } : {});
  const put = (url: string, token: string, body?: string | object) =>
    a.http({ method: 'PUT', url, headers: as(token), ...(body !== undefined ? { body } : {}) });

  before(async () => {
    a = await startInProcessAgent(
      { acl: { enabled: true, defaultPolicy: 'deny', downPolicy: 'extend-cache', tokens: { initial_management: ROOT } } },
      { plugins: [await importPlugin('@proconsul/acl', join(repoRoot(), 'plugins.json'))] },
    );
    for (let i = 0; i < 100 && (await a.http({ url: '/v1/acl/token/self', headers: as(ROOT) })).status !== 200; i++)
      await new Promise((r) => setTimeout(r, 20));
    const ok = async (p: ReturnType<InProcessAgent['http']>) => {
      const r = await p;
      expect(r.status, r.text).to.equal(200);
      return r;
    };
    await ok(put('/v1/kv/secret/db-password', ROOT, VALUE));
    await ok(put('/v1/kv/app/config', ROOT, 'visible'));
    await ok(
      put('/v1/catalog/register', ROOT, {
        Node: 'hidden-node',
        Address: '10.9.9.9',
        Service: { Service: 'hidden-svc', Port: 1 },
        Check: { CheckID: 'hidden-check', Name: 'hidden-svc', ServiceID: 'hidden-svc', Status: 'passing' },
      }),
    );
    await ok(
      put('/v1/catalog/register', ROOT, { Node: 'web-node', Address: '10.0.0.80', Service: { Service: 'web', Port: 80 } }),
    );
    // Duplicate service IDs: one wholly hidden, one whose other holder is a hidden node.
    await ok(
      put('/v1/catalog/register', ROOT, {
        Node: 'hidden-node-2',
        Address: '10.9.9.9',
        Service: { Service: 'hidden-svc', Port: 1 },
      }),
    );
    await ok(
      put('/v1/catalog/register', ROOT, { Node: 'hidden-node', Address: '10.9.9.9', Service: { Service: 'web', Port: 80 } }),
    );
    sessionId = (await ok(put('/v1/session/create', ROOT, { Node: 'hidden-node', NodeChecks: [] }))).json<{ ID: string }>().ID;
    await ok(put('/v1/agent/service/register', ROOT, { Name: 'hidden-agent-svc', Port: 2 }));
    await ok(
      put('/v1/acl/policy', ROOT, {
        Name: 'narrow',
        Rules: 'key_prefix "app/" { policy = "read" }\nservice "web" { policy = "read" }\nnode "web-node" { policy = "read" }',
      }),
    );
    narrow = (await ok(put('/v1/acl/token', ROOT, { Policies: [{ Name: 'narrow' }] }))).json<{ SecretID: string }>().SecretID;
  });
  after(() => a?.stop());

  const urls = () => [
    '/v1/agent/checks',
    '/v1/agent/services',
    '/v1/agent/service/hidden-agent-svc',
    '/v1/agent/health/service/name/hidden-agent-svc',
    '/v1/agent/members',
    '/v1/catalog/nodes',
    '/v1/catalog/services',
    '/v1/catalog/service/hidden-svc',
    '/v1/catalog/node/hidden-node',
    '/v1/catalog/node-services/hidden-node',
    '/v1/event/list',
    '/v1/health/node/hidden-node',
    '/v1/health/checks/hidden-svc',
    '/v1/health/state/any',
    '/v1/health/state/passing',
    '/v1/health/service/hidden-svc',
    '/v1/kv/?recurse',
    '/v1/kv/?keys',
    '/v1/kv/?keys&separator=/',
    '/v1/kv/secret?recurse',
    '/v1/kv/secret/db-password',
    '/v1/kv/secret/db-password?raw',
    '/v1/session/list',
    '/v1/session/node/hidden-node',
    `/v1/session/info/${sessionId}`,
    '/v1/acl/tokens',
    '/v1/acl/policies',
    '/v1/acl/roles',
    '/v1/acl/token/self',
    '/v1/operator/raft/configuration',
    '/v1/agent/metrics',
    '/v1/agent/self',
    '/v1/agent/host',
    '/v1/agent/version',
    '/v1/catalog/services?node-meta=rack:x',
    '/v1/health/state/any?node-meta=rack:x',
    '/v1/health/checks/hidden-svc?node-meta=rack:x',
    '/v1/internal/ui/services',
    '/v1/internal/ui/nodes',
    '/v1/internal/ui/node/hidden-node',
    '/v1/health/connect/hidden-svc',
    '/v1/health/ingress/hidden-svc',
    '/v1/catalog/connect/hidden-svc',
    '/v1/catalog/gateway-services/hidden-svc',
    '/v1/acl/replication',
    '/v1/query/hidden-svc',
    '/v1/proconsul/duplicate-services',
  ];

  function expectNoLeak(url: string, who: string, status: number, text: string): void {
    expect(status, `${who} ${url}: ${text}`).to.be.lessThan(500);
    // Echoing a name the request itself gave ("lacks service:read on X") reveals nothing.
    for (const m of MARKERS.filter((x) => !url.includes(x))) expect(text, `${who} ${url} leaks "${m}"`).to.not.contain(m);
  }

  for (const who of ['anonymous', 'narrow'] as const) {
    it(`${who}: plain reads`, async () => {
      for (const url of urls()) {
        const r = await a.http({ url, headers: as(who === 'narrow' ? narrow : undefined) });
        expectNoLeak(url, who, r.status, r.text);
      }
    });

    it(`${who}: blocking reads (?index) and filtered reads (?filter) reveal no more`, async () => {
      for (const url of urls()) {
        const sep = url.includes('?') ? '&' : '?';
        for (const q of ['index=1&wait=20ms', 'stale&index=1&wait=20ms', `filter=${encodeURIComponent('Node != ""')}`]) {
          const r = await a.http({ url: `${url}${sep}${q}`, headers: as(who === 'narrow' ? narrow : undefined) });
          expectNoLeak(`${url}${sep}${q}`, who, r.status, r.text);
        }
      }
    });
  }

  it('cached reads (?cached): filled by the management token first, still reveal nothing to the others', async () => {
    const cached = [
      '/v1/catalog/services?cached',
      '/v1/catalog/service/hidden-svc?cached',
      '/v1/health/service/hidden-svc?cached',
      '/v1/catalog/service/web?cached',
      '/v1/health/service/web?cached',
      '/v1/catalog/services?cached&index=1&wait=20ms',
      '/v1/health/service/hidden-svc?cached&index=1&wait=20ms',
    ];
    for (const url of cached) {
      const r = await a.http({ url, headers: as(ROOT) });
      expect(r.status, r.text).to.equal(200);
    }
    expect((await a.http({ url: '/v1/catalog/services?cached', headers: as(ROOT) })).text).to.contain('hidden-svc');
    for (const who of ['anonymous', 'narrow'] as const) {
      for (const url of cached) {
        // Twice: the first fills this token's own entry, the second is a hit on it.
        for (let i = 0; i < 2; i++) {
          const r = await a.http({ url, headers: as(who === 'narrow' ? narrow : undefined) });
          expectNoLeak(url, who, r.status, r.text);
        }
      }
    }
    const web = await a.http({ url: '/v1/catalog/service/web?cached', headers: as(narrow) });
    expect(web.headers['x-cache']).to.equal('HIT');
    expect(web.json<{ Node: string }[]>().map((n) => n.Node)).to.deep.equal(['web-node']);
  });

  it('X-Consul-Results-Filtered-By-ACLs: set where the narrow token lost items, absent for the management token and full views', async () => {
    const header = async (url: string, token: string) => {
      const r = await a.http({ url, headers: as(token) });
      expect(r.status, `${url}: ${r.text}`).to.equal(200);
      return r.headers['x-consul-results-filtered-by-acls'];
    };
    const reg = await put('/v1/agent/check/register', ROOT, { Name: 'hidden-ttl', ServiceID: 'hidden-agent-svc', TTL: '60s' });
    expect(reg.status, reg.text).to.equal(200);
    const lists = [
      '/v1/catalog/services',
      '/v1/catalog/nodes',
      '/v1/catalog/service/web',
      '/v1/health/service/web',
      '/v1/health/state/any',
      '/v1/kv/?recurse',
      '/v1/kv/?keys',
      '/v1/internal/ui/nodes',
      '/v1/session/list',
      '/v1/agent/services',
      '/v1/agent/checks',
    ];
    for (const url of lists) {
      expect(await header(url, narrow), `narrow ${url}`).to.equal('true');
      expect(await header(url, ROOT), `management ${url}`).to.equal(undefined);
      // Blocking and stale reads carry it too (it comes with the server's answer).
      if (!url.startsWith('/v1/agent/'))
        expect(await header(`${url}${url.includes('?') ? '&' : '?'}stale&index=1&wait=20ms`, narrow), `${url} stale`).to.equal(
          'true',
        );
    }
    // Nothing hidden under app/: the narrow token sees the whole prefix, so no header.
    expect(await header('/v1/kv/app/?recurse', narrow)).to.equal(undefined);
  });

  it('the narrow token still sees exactly what it was granted (the walk is not vacuous)', async () => {
    const get = (url: string) => a.http({ url, headers: as(narrow) });
    expect((await get('/v1/kv/app/config?raw')).text).to.equal('visible');
    expect(Object.keys((await get('/v1/catalog/services')).json<object>())).to.deep.equal(['web']);
    expect((await get('/v1/catalog/nodes')).json<{ Node: string }[]>().map((n) => n.Node)).to.deep.equal(['web-node']);
    const ui = (await get('/v1/internal/ui/services')).json<{ Name: string }[]>();
    expect(ui.map((x) => x.Name)).to.deep.equal(['web']);
    expect((await get('/v1/internal/ui/nodes')).json<{ Node: string }[]>().map((n) => n.Node)).to.deep.equal(['web-node']);
    expect((await a.http({ url: '/v1/internal/ui/services', headers: as(ROOT) })).text).to.contain('hidden-svc');
    expect((await a.http({ url: '/v1/internal/ui/node/hidden-node', headers: as(ROOT) })).text).to.contain('10.9.9.9');
    expect((await get('/v1/proconsul/duplicate-services')).json()).to.deep.equal([
      { ServiceID: 'web', Service: 'web', Nodes: ['web-node'] },
    ]);
    expect((await a.http({ url: '/v1/proconsul/duplicate-services', headers: as(ROOT) })).text).to.contain('hidden-node-2');
    // And the management token sees the markers, so their absence above means filtering, not absence.
    expect((await a.http({ url: '/v1/catalog/services', headers: as(ROOT) })).text).to.contain('hidden-svc');
    expect((await a.http({ url: '/v1/agent/services', headers: as(ROOT) })).text).to.contain('hidden-agent-svc');
  });
});
