/**
 * Prepared queries on real agents (issue #16): a server in dc1 and one in dc2, federated with
 * one `join -wan`, and a client agent in dc1 that every request goes through. Loopback
 * 127.0.38.x is this suite's; default ports per address.
 */
import { expect } from 'chai';
import Consul from 'consul';
import { execFileSync } from 'node:child_process';
import { waitForHttp } from './agent-runner.js';
import { agentUrl as url, callAgent, LoopbackAgents, poll, waitForLeader } from './loopback-agents.js';
import { runCaptured } from './run-command.js';

const S1 = '127.0.38.1';
const S2 = '127.0.38.2';
const C1 = '127.0.38.3';

const call = (ip: string, path: string, method = 'GET', body?: unknown) => callAgent(ip, path, { method, body });
interface Executed {
  Service: string;
  Nodes: { Node: { Node: string; Address: string }; Service: { Port: number } }[];
  DNS: { TTL: string };
  Datacenter: string;
  Failovers: number;
}

/** An external node with one `web` instance whose check has `status`. */
async function registerWeb(ip: string, node: string, address: string, status: string, tags: string[] = []): Promise<void> {
  const r = await call(ip, '/v1/catalog/register', 'PUT', {
    Node: node,
    Address: address,
    Service: { ID: 'web', Service: 'web', Port: 8080, Tags: tags },
    Check: { CheckID: 'web-alive', Name: 'web alive', ServiceID: 'web', Status: status },
  });
  expect(r.body, r.body).to.equal('true');
}

const dig = (name: string, type: string, extra: string[] = ['+short']) =>
  execFileSync('dig', [...extra, '+time=3', '+tries=1', `@${C1}`, '-p', '8600', name, type], { encoding: 'utf8' }).trim();

describe('prepared queries (real agents: a server in dc1 and dc2, a client in dc1)', function () {
  this.timeout(180_000);
  const agents = new LoopbackAgents('pq', 'PQ_LOGS');
  const start = (name: string, ip: string, dc: string, server: boolean) => agents.start({ name, ip, dc, server, join: S1 });

  before(async () => {
    start('s1', S1, 'dc1', true);
    start('s2', S2, 'dc2', true);
    start('c1', C1, 'dc1', false);
    for (const ip of [S1, S2, C1]) await waitForHttp(url(ip, '/v1/agent/self'));
    for (const ip of [S1, S2]) await waitForLeader(ip);
    const joined = await runCaptured(['join', '-wan', `-http-addr=${S1}:8500`, S2]);
    expect(joined.code, joined.err).to.equal(0);
    await poll('both datacenters at the client', async () =>
      (await call(C1, '/v1/catalog/datacenters')).body === '["dc1","dc2"]' ? true : undefined,
    );
    await registerWeb(S1, 'web-a', '127.0.38.11', 'passing', ['v1']);
    await registerWeb(S1, 'web-b', '127.0.38.12', 'passing', ['v2']);
    await registerWeb(S2, 'web-r', '127.0.38.21', 'passing', ['v1']);
  });

  after(function () {
    agents.stopAll(this);
  });

  it('the npm consul client creates, reads, executes and explains a query through a client agent, unchanged', async () => {
    const consul = new Consul({ host: C1, port: 8500 });
    const created = (await consul.query.create({
      name: 'web',
      service: { service: 'web', failover: { nearestn: 1 } },
      dns: { ttl: '15s' },
    })) as { ID: string };
    expect(created.ID).to.match(/^[0-9a-f-]{36}$/);
    const got = (await consul.query.get(created.ID)) as { Name: string; Service: { Failover: { NearestN: number } } };
    expect([got.Name, got.Service.Failover.NearestN]).to.deep.equal(['web', 1]);
    const listed = (await consul.query.list()) as { ID: string }[];
    expect(listed.map((q) => q.ID)).to.deep.equal([created.ID]);
    const r = (await consul.query.execute('web')) as Executed;
    expect(r.Nodes.map((n) => n.Node.Node).sort()).to.deep.equal(['web-a', 'web-b']);
    expect([r.Service, r.Datacenter, r.Failovers, r.DNS.TTL]).to.deep.equal(['web', 'dc1', 0, '15s']);
    // Consul answers explain with an object and this client reads the first item of a list, so
    // it resolves to undefined against Consul too; it must at least not fail. The HTTP answer:
    await consul.query.explain(created.ID);
    const explained = JSON.parse((await call(C1, `/v1/query/${created.ID}/explain`)).body) as { Query: { Name: string } };
    expect(explained.Query.Name).to.equal('web');
    await consul.query.update({
      query: created.ID,
      name: 'web',
      service: { service: 'web', failover: { nearestn: 1 } },
      dns: { ttl: '15s' },
    });
    const extra = (await consul.query.create({ name: 'to-delete', service: { service: 'web' } })) as { ID: string };
    // destroy is in the client but not in its typings.
    await (consul.query as unknown as { destroy(id: string): Promise<void> }).destroy(extra.ID);
    expect(((await consul.query.list()) as { ID: string }[]).map((q) => q.ID)).to.deep.equal([created.ID]);
  });

  it('a template query renders per name (regexp groups), over HTTP', async () => {
    const t = await call(C1, '/v1/query', 'POST', {
      Name: 'tag-',
      Template: { Type: 'name_prefix_match', Regexp: '^tag-(.+)$' },
      Service: { Service: 'web', Tags: ['${match(1)}'] },
    });
    expect(t.status, t.body).to.equal(200);
    const r = JSON.parse((await call(C1, '/v1/query/tag-v2/execute')).body) as Executed;
    expect(r.Nodes.map((n) => n.Node.Node)).to.deep.equal(['web-b']);
    const e = JSON.parse((await call(C1, '/v1/query/tag-v1/explain')).body) as { Query: { Service: { Tags: string[] } } };
    expect(e.Query.Service.Tags).to.deep.equal(['v1']);
  });

  it('DNS answers web.query.consul (SRV and A) with the query TTL, and a template name', async () => {
    const srv = await poll('web.query.consul SRV', async () => {
      const out = dig('web.query.consul', 'SRV');
      return out.split('\n').length === 2 ? out : undefined;
    });
    expect(srv.split('\n').sort()).to.deep.equal(['1 1 8080 web-a.node.dc1.consul.', '1 1 8080 web-b.node.dc1.consul.']);
    const answer = dig('web.query.consul', 'A', ['+noall', '+answer']);
    expect(answer).to.match(/^web\.query\.consul\.\s+15\s+IN\s+A\s+127\.0\.38\.1[12]$/m);
    expect(dig('tag-v2.query.consul', 'A')).to.equal('127.0.38.12');
    expect(dig('nothing.query.consul', 'A')).to.equal('');
  });

  it('when every dc1 instance is critical the query fails over to dc2, over HTTP and DNS', async () => {
    await registerWeb(S1, 'web-a', '127.0.38.11', 'critical', ['v1']);
    await registerWeb(S1, 'web-b', '127.0.38.12', 'critical', ['v2']);
    const r = JSON.parse((await call(C1, '/v1/query/web/execute')).body) as Executed;
    expect([r.Datacenter, r.Failovers, r.Nodes.map((n) => n.Node.Node)]).to.deep.equal(['dc2', 1, ['web-r']]);
    expect(dig('web.query.consul', 'A')).to.equal('127.0.38.21');
    // Back to healthy: dc1 answers again.
    await registerWeb(S1, 'web-a', '127.0.38.11', 'passing', ['v1']);
    const back = JSON.parse((await call(C1, '/v1/query/web/execute')).body) as Executed;
    expect([back.Datacenter, back.Nodes.map((n) => n.Node.Node)]).to.deep.equal(['dc1', ['web-a']]);
  });

  it('?dc= manages and executes a query in the other datacenter; web.query.dc2.consul reads it there', async () => {
    const c = await call(C1, '/v1/query?dc=dc2', 'POST', { Name: 'remote-web', Service: { Service: 'web' } });
    expect(c.status, c.body).to.equal(200);
    expect((await call(S1, '/v1/query/remote-web/execute')).status).to.equal(404);
    const r = JSON.parse((await call(C1, '/v1/query/remote-web/execute?dc=dc2')).body) as Executed;
    expect([r.Datacenter, r.Nodes.map((n) => n.Node.Node)]).to.deep.equal(['dc2', ['web-r']]);
    expect(dig('remote-web.query.dc2.consul', 'A')).to.equal('127.0.38.21');
  });
});
