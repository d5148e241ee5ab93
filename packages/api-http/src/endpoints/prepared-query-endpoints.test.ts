import { expect } from 'chai';
import { join } from 'node:path';
import { importPlugin } from '@proconsul/kernel';
import { repoRoot } from '@proconsul/kernel/testing';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

interface Executed {
  Service: string;
  Nodes: { Node: { Node: string }; Service: { Tags: string[] } }[];
  DNS: { TTL: string };
  Datacenter: string;
  Failovers: number;
}

async function register(
  a: InProcessAgent,
  node: string,
  status: string,
  tags: string[] = [],
  headers: Record<string, string> = {},
) {
  const r = await a.http({
    method: 'PUT',
    url: '/v1/catalog/register',
    headers,
    body: {
      Node: node,
      Address: '10.1.0.1',
      Service: { ID: 'web', Service: 'web', Port: 80, Tags: tags },
      Check: { CheckID: 'web-check', Name: 'web', ServiceID: 'web', Status: status },
    },
  });
  expect(r.status, r.text).to.equal(200);
}

/** Issue #16: `/v1/query` prepared queries, managed and executed as Consul does. */
describe('/v1/query (prepared queries)', () => {
  let a: InProcessAgent;
  before(async () => {
    a = await startInProcessAgent();
    await register(a, 'n1', 'passing', ['primary']);
    await register(a, 'n2', 'warning', ['primary', 'canary']);
    await register(a, 'n3', 'critical', ['primary']);
  });
  after(() => a.stop());
  const post = (body: string | object) => a.http({ method: 'POST', url: '/v1/query', body });
  const nodes = (r: Executed) => r.Nodes.map((n) => n.Node.Node).sort();

  it('POST creates (returns {ID}); GET reads it back as a list of one; list shows it; PUT updates; DELETE removes', async () => {
    const c = await post({ Name: 'web-q', Service: { Service: 'web', Tags: ['primary'] }, DNS: { TTL: '10s' } });
    expect(c.status, c.text).to.equal(200);
    const id = c.json<{ ID: string }>().ID;
    expect(id).to.match(/^[0-9a-f-]{36}$/);
    const g = await a.http(`/v1/query/${id}`);
    expect(g.status).to.equal(200);
    const [q] =
      g.json<
        { ID: string; Name: string; Service: { Service: string; Tags: string[]; OnlyPassing: boolean }; DNS: { TTL: string } }[]
      >();
    expect(q).to.deep.include({ ID: id, Name: 'web-q', DNS: { TTL: '10s' } });
    expect(q!.Service).to.deep.include({ Service: 'web', Tags: ['primary'], OnlyPassing: false });
    expect(Number(g.headers['x-consul-index'])).to.be.greaterThan(0);
    expect((await a.http('/v1/query')).json<{ ID: string }[]>().map((x) => x.ID)).to.include(id);
    const u = await a.http({
      method: 'PUT',
      url: `/v1/query/${id}`,
      body: { Name: 'web-q', Service: { Service: 'web', OnlyPassing: true } },
    });
    expect(u.status, u.text).to.equal(200);
    expect((await a.http(`/v1/query/${id}`)).json<{ Service: { OnlyPassing: boolean } }[]>()[0]!.Service.OnlyPassing).to.equal(
      true,
    );
    expect((await a.http({ method: 'DELETE', url: `/v1/query/${id}` })).status).to.equal(200);
    const gone = await a.http(`/v1/query/${id}`);
    expect([gone.status, gone.text]).to.deep.equal([404, 'Query not found']);
  });

  it('executes by ID or name: critical instances dropped, warning kept unless OnlyPassing, ?limit, DNS TTL and datacenter reported', async () => {
    const id = (await post({ Name: 'all-web', Service: { Service: 'web' }, DNS: { TTL: '5s' } })).json<{ ID: string }>().ID;
    const byId = (await a.http(`/v1/query/${id}/execute`)).json<Executed>();
    expect(nodes(byId)).to.deep.equal(['n1', 'n2']);
    expect([byId.Service, byId.DNS.TTL, byId.Datacenter, byId.Failovers]).to.deep.equal(['web', '5s', 'dc1', 0]);
    expect(nodes((await a.http('/v1/query/all-web/execute')).json<Executed>())).to.deep.equal(['n1', 'n2']);
    expect((await a.http('/v1/query/all-web/execute?limit=1')).json<Executed>().Nodes).to.have.length(1);
    await post({ Name: 'passing-web', Service: { Service: 'web', OnlyPassing: true, Tags: ['!canary'] } });
    expect(nodes((await a.http('/v1/query/passing-web/execute')).json<Executed>())).to.deep.equal(['n1']);
    const missing = await a.http('/v1/query/nothing-like-it/execute');
    expect([missing.status, missing.text]).to.deep.equal([404, 'Query not found']);
    expect((await a.http('/v1/query/all-web/execute?connect=true')).status).to.equal(400);
    expect((await a.http('/v1/query/all-web/execute?limit=x')).status).to.equal(400);
  });

  it('a template serves every name with its prefix; explain shows the rendered query', async () => {
    const t = await post({
      Name: 'tpl-',
      Template: { Type: 'name_prefix_match', Regexp: '^tpl-(.+?)-(.+)$', RemoveEmptyTags: true },
      Service: { Service: '${match(1)}', Tags: ['${match(2)}'] },
    });
    expect(t.status, t.text).to.equal(200);
    const r = (await a.http('/v1/query/tpl-web-canary/execute')).json<Executed>();
    expect([r.Service, nodes(r)]).to.deep.equal(['web', ['n2']]);
    const e = await a.http('/v1/query/tpl-web-primary/explain');
    expect(e.status, e.text).to.equal(200);
    expect(e.json<{ Query: { Service: { Service: string; Tags: string[] } } }>().Query.Service).to.deep.include({
      Service: 'web',
      Tags: ['primary'],
    });
  });

  it('bad input is a 400 with a plain reason', async () => {
    const cases: [string | object, string][] = [
      [{ Name: 'x' }, 'Must provide a Service name to query'],
      [{ Name: 'x', Service: { Service: 'web', Failover: { NearestN: -1 } } }, "Bad NearestN '-1', must be >= 0"],
      [{ Name: 'y', Template: { Type: 'name_prefix_match', Regexp: '(' }, Service: { Service: 'web' } }, 'Bad Regexp'],
      [{ Name: 'z', Session: 'no-such-session', Service: { Service: 'web' } }, 'invalid session'],
      [{ Name: 'all-web', Service: { Service: 'web' } }, "name 'all-web' aliases an existing query name"],
      [{ Name: 7, Service: { Service: 'web' } }, 'Request decode failed: Name'],
      ['not json', 'Request decode failed'],
    ];
    for (const [body, text] of cases) {
      const r = await post(body);
      expect(r.status, `${JSON.stringify(body)}: ${r.text}`).to.equal(400);
      expect(r.text).to.contain(text);
    }
  });

  it('a query bound to a session is deleted when the session is destroyed', async () => {
    const s = (await a.http({ method: 'PUT', url: '/v1/session/create', body: { Node: 'n1', Checks: [] } })).json<{
      ID: string;
    }>().ID;
    const id = (await post({ Name: 'bound', Session: s, Service: { Service: 'web' } })).json<{ ID: string }>().ID;
    expect((await a.http(`/v1/query/${id}`)).status).to.equal(200);
    await a.http({ method: 'PUT', url: `/v1/session/destroy/${s}` });
    expect((await a.http(`/v1/query/${id}`)).status).to.equal(404);
  });
});

const ROOT = '5c2a9e1d-7b3f-4c6a-9d8e-1f2a3b4c5d6e';

describe('/v1/query with ACLs', () => {
  let a: InProcessAgent;
  const as = (t: string | undefined): Record<string, string> => (t ? { 'X-Consul-Token': t } : {});
  async function token(rules: string): Promise<string> {
    const name = `p${Math.random().toString(36).slice(2)}`;
    const p = await a.http({ method: 'PUT', url: '/v1/acl/policy', headers: as(ROOT), body: { Name: name, Rules: rules } });
    expect(p.status, p.text).to.equal(200);
    const t = await a.http({ method: 'PUT', url: '/v1/acl/token', headers: as(ROOT), body: { Policies: [{ Name: name }] } });
    expect(t.status, t.text).to.equal(200);
    return t.json<{ SecretID: string }>().SecretID;
  }
  before(async () => {
    a = await startInProcessAgent(
      { acl: { enabled: true, defaultPolicy: 'deny', downPolicy: 'extend-cache', tokens: { initial_management: ROOT } } },
      { plugins: [await importPlugin('@proconsul/acl', join(repoRoot(), 'plugins.json'))] },
    );
    for (let i = 0; i < 100 && (await a.http({ url: '/v1/acl/token/self', headers: as(ROOT) })).status !== 200; i++)
      await new Promise((r) => setTimeout(r, 20));
    await register(a, 'n1', 'passing', [], as(ROOT));
  });
  after(() => a?.stop());

  it('managing needs query:write on the name; listing shows what query:read allows with the captured token hidden', async () => {
    const writer = await token('query_prefix "team-" { policy = "write" }');
    const reader = await token('query_prefix "team-" { policy = "read" }');
    const body = { Name: 'team-web', Token: ROOT, Service: { Service: 'web' } };
    expect((await a.http({ method: 'POST', url: '/v1/query', headers: as(reader), body })).status).to.equal(403);
    expect(
      (await a.http({ method: 'POST', url: '/v1/query', headers: as(writer), body: { ...body, Name: 'other' } })).status,
    ).to.equal(403);
    const c = await a.http({ method: 'POST', url: '/v1/query', headers: as(writer), body });
    expect(c.status, c.text).to.equal(200);
    const id = c.json<{ ID: string }>().ID;
    await a.http({
      method: 'POST',
      url: '/v1/query',
      headers: as(ROOT),
      body: { Name: 'secret-web', Service: { Service: 'web' } },
    });
    const listed = (await a.http({ url: '/v1/query', headers: as(reader) })).json<{ Name: string; Token: string }[]>();
    expect(listed.map((q) => [q.Name, q.Token])).to.deep.equal([['team-web', '<hidden>']]);
    const mgmt = (await a.http({ url: `/v1/query/${id}`, headers: as(ROOT) })).json<{ Token: string }[]>();
    expect(mgmt[0]!.Token).to.equal(ROOT);
    expect((await a.http({ url: '/v1/query' })).json<unknown[]>()).to.deep.equal([]);
    expect((await a.http({ url: `/v1/query/${id}/explain`, headers: as(await token('')) })).status).to.equal(403);
  });

  it('execution filters instances by the executing token, or by the captured token when the query has one', async () => {
    const creator = await token('query_prefix "" { policy = "write" }');
    const plain = (
      await a.http({
        method: 'POST',
        url: '/v1/query',
        headers: as(creator),
        body: { Name: 'plain', Service: { Service: 'web' } },
      })
    ).json<{ ID: string }>().ID;
    const captured = (
      await a.http({
        method: 'POST',
        url: '/v1/query',
        headers: as(creator),
        body: { Name: 'captured', Token: ROOT, Service: { Service: 'web' } },
      })
    ).json<{ ID: string }>().ID;
    const nobody = await token('');
    const seer = await token('service_prefix "" { policy = "read" }\nnode_prefix "" { policy = "read" }');
    const run = async (q: string, t: string) =>
      (await a.http({ url: `/v1/query/${q}/execute`, headers: as(t) })).json<Executed>().Nodes.length;
    expect(await run(plain, nobody)).to.equal(0);
    expect(await run(plain, seer)).to.equal(1);
    expect(await run(captured, nobody)).to.equal(1);
  });
});
