import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { join } from 'node:path';
import { ROCKSDB_PLUGINS, TestCluster, type ClusterNode, type PortSet, suiteFailed } from './cluster-harness.js';
import { pollUntil, type HttpResult } from './cluster-poll.js';

// 127.0.14.x belongs to this file.
const PORTS: PortSet = { http: 33500, dns: 33600, serfLan: 33301, serfWan: 33302, server: 33300 };
const ROOT = '7c1d2e3f-4a5b-4c6d-8e7f-90a1b2c3d4e5';
const CLIENT_PLUGINS = join(new URL('../../../../', import.meta.url).pathname, 'plugins.client.json');

/** One request with an optional token, JSON body when given an object. */
async function call(
  node: ClusterNode,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<HttpResult> {
  const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const res = await fetch(`${node.url}${path}`, {
    method,
    body,
    headers: opts.token ? { 'X-Consul-Token': opts.token } : {},
    signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
  });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

const json = <T>(r: HttpResult): T => JSON.parse(r.body) as T;

describe('a client agent with no raft and no storage engine (plugins.client.json) serves the API by forwarding', function () {
  this.timeout(120_000);
  let cluster: TestCluster;
  let server: ClusterNode;
  let client: ClusterNode;
  const asRoot = { token: ROOT };

  before(async () => {
    cluster = new TestCluster({
      label: 'client-without-raft',
      ports: PORTS,
      // The server runs the standard durable list, so its raft log is on disk: the contrast below.
      plugins: ROCKSDB_PLUGINS,
      config: { acl: { enabled: true, default_policy: 'deny', tokens: { initial_management: ROOT, dns: ROOT } } },
    });
    server = cluster.add({ name: 'crs-server', ip: '127.0.14.1', args: ['-server', '-bootstrap'] });
    client = cluster.add({
      name: 'crs-client',
      ip: '127.0.14.2',
      // A later -plugins wins over the cluster's: only this agent runs the client list.
      args: ['-plugins', CLIENT_PLUGINS, '-retry-join', `127.0.14.1:${PORTS.serfLan}`, '-retry-interval', '1s'],
    });
    server.start();
    client.start();
    await cluster.waitForHttp([server, client]);
    // Through the client: its node is in the catalog once the leader reconciled gossip,
    // and the leader has made the management token.
    await pollUntil(
      async () => {
        const r = await call(client, 'GET', '/v1/catalog/node/crs-client', asRoot).catch(() => undefined);
        return r?.status === 200 && json<{ Node?: unknown } | null>(r)?.Node ? true : undefined;
      },
      { timeoutMs: 40_000, intervalMs: 300, what: 'the client node in the catalog, read through the client' },
    );
  });
  after(async function () {
    await cluster?.cleanup(suiteFailed(this), 'client-without-raft');
  });

  it('loaded no consensus or storage plugin: agent/self shows no raft, and its data_dir holds no raft files', async () => {
    const self = json<{ Config: { Server: boolean }; Stats: { raft?: Record<string, string>; consul: Record<string, string> } }>(
      await call(client, 'GET', '/v1/agent/self', asRoot),
    );
    expect(self.Config.Server).to.equal(false);
    // As a Consul client's: no raft section at all, and the servers it knows under consul.
    expect(self.Stats.raft).to.equal(undefined);
    expect(Number(self.Stats.consul['known_servers'])).to.be.greaterThan(0);
    const started = /agent started.*plugins=([\w,-]+)/.exec(client.log())?.[1]?.split(',') ?? [];
    expect(started).to.include('server-rpc');
    expect(started.filter((p) => p === 'raft' || p.startsWith('store-'))).to.deep.equal([]);
    const raftFiles = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('raft'));
    expect(raftFiles(client.dataDir)).to.deep.equal([]);
    // The same check finds the server's: it would find a client's too.
    expect(raftFiles(server.dataDir)).to.not.deep.equal([]);
    const serverSelf = json<{ Stats: { raft?: Record<string, string>; consul: Record<string, string> } }>(
      await call(server, 'GET', '/v1/agent/self', asRoot),
    );
    expect(serverSelf.Stats.raft?.state).to.equal('Leader');
  });

  it('KV put and get', async () => {
    expect((await call(client, 'PUT', '/v1/kv/app/config', { ...asRoot, body: 'v1' })).body.trim()).to.equal('true');
    const got = json<{ Key: string; Value: string }[]>(await call(client, 'GET', '/v1/kv/app/config', asRoot));
    expect(Buffer.from(got[0]!.Value, 'base64').toString()).to.equal('v1');
    // Written through the client, stored by the server.
    const onServer = await call(server, 'GET', '/v1/kv/app/config?raw', asRoot);
    expect(onServer.body).to.equal('v1');
  });

  it('catalog register, then health/service shows the instance with its check', async () => {
    const reg = await call(client, 'PUT', '/v1/catalog/register', {
      ...asRoot,
      body: {
        Node: 'ext-db',
        Address: '10.0.0.9',
        Service: { ID: 'db1', Service: 'db', Port: 5432, Tags: ['primary'] },
        Check: { CheckID: 'db-alive', Name: 'db alive', Status: 'passing', ServiceID: 'db1' },
      },
    });
    expect(reg.status, reg.body).to.equal(200);
    const health = json<{ Node: { Node: string }; Service: { ID: string; Port: number }; Checks: { CheckID: string }[] }[]>(
      await call(client, 'GET', '/v1/health/service/db?passing', asRoot),
    );
    expect(health.map((h) => [h.Node.Node, h.Service.ID, h.Service.Port])).to.deep.equal([['ext-db', 'db1', 5432]]);
    expect(health[0]!.Checks.map((c) => c.CheckID)).to.include('db-alive');
  });

  it('a blocking query on the client is woken by a write made on the server', async () => {
    await call(client, 'PUT', '/v1/kv/app/blocking', { ...asRoot, body: 'before' });
    const first = await call(client, 'GET', '/v1/kv/app/blocking', asRoot);
    const index = Number(first.headers.get('x-consul-index'));
    expect(index).to.be.greaterThan(0);
    const t0 = Date.now();
    const waiting = call(client, 'GET', `/v1/kv/app/blocking?index=${index}&wait=30s`, { ...asRoot, timeoutMs: 40_000 });
    await new Promise((r) => setTimeout(r, 500));
    await call(server, 'PUT', '/v1/kv/app/blocking', { ...asRoot, body: 'after' });
    const woken = await waiting;
    expect(Date.now() - t0).to.be.lessThan(10_000);
    expect(Number(woken.headers.get('x-consul-index'))).to.be.greaterThan(index);
    expect(Buffer.from(json<{ Value: string }[]>(woken)[0]!.Value, 'base64').toString()).to.equal('after');
  });

  it('sessions and a lock: one holder at a time', async () => {
    const create = () => call(client, 'PUT', '/v1/session/create', { ...asRoot, body: { Node: 'crs-client', TTL: '30s' } });
    const a = json<{ ID: string }>(await create()).ID;
    const b = json<{ ID: string }>(await create()).ID;
    expect(a).to.match(/^[0-9a-f-]{36}$/);
    const acquire = (id: string) => call(client, 'PUT', `/v1/kv/app/leader?acquire=${id}`, { ...asRoot, body: id });
    expect((await acquire(a)).body.trim()).to.equal('true');
    expect((await acquire(b)).body.trim()).to.equal('false');
    const held = json<{ Session: string }[]>(await call(client, 'GET', '/v1/kv/app/leader', asRoot));
    expect(held[0]!.Session).to.equal(a);
    const sessions = json<{ ID: string }[]>(await call(client, 'GET', '/v1/session/node/crs-client', asRoot));
    expect(sessions.map((s) => s.ID).sort()).to.deep.equal([a, b].sort());
  });

  it('members lists both agents, the server tagged as one', async () => {
    const members = json<{ Name: string; Status: number; Tags: Record<string, string> }[]>(
      await call(client, 'GET', '/v1/agent/members', asRoot),
    );
    const byName = new Map(members.map((m) => [m.Name, m]));
    expect(byName.get('crs-server')?.Tags['role']).to.equal('consul');
    expect(byName.get('crs-client')?.Tags['role']).to.equal('node');
    expect([...byName.values()].every((m) => m.Status === 1)).to.equal(true);
  });

  it('answers DNS from the catalog it reads through the server', async () => {
    const resolver = new Resolver({ timeout: 3000, tries: 1 });
    resolver.setServers([`127.0.14.2:${PORTS.dns}`]);
    expect(await resolver.resolve4('db.service.consul')).to.deep.equal(['10.0.0.9']);
    expect(await resolver.resolve4('crs-server.node.consul')).to.deep.equal(['127.0.14.1']);
  });

  it('refuses an anonymous request under default-deny ACLs, decided through the server', async () => {
    const r = await call(client, 'PUT', '/v1/kv/app/config', { body: 'anonymous' });
    expect(r.status).to.equal(403);
    expect((await call(client, 'GET', '/v1/kv/app/config')).status).to.equal(403);
    expect((await call(server, 'GET', '/v1/kv/app/config?raw', asRoot)).body).to.equal('v1');
  });

  it('a server started with the client list refuses to start, naming the missing capability', async () => {
    const wrong = cluster.add({
      name: 'crs-wrong-server',
      ip: '127.0.14.3',
      args: ['-server', '-bootstrap', '-plugins', CLIENT_PLUGINS],
    });
    wrong.start();
    const code = await Promise.race([wrong.exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000))]);
    expect(code).to.equal(1);
    const log = wrong.log();
    expect(log).to.contain('==> Error starting agent: this agent is a server, which needs capability "consensus"');
    expect(log).to.contain('plugins.client.json');
    expect(log).to.not.match(/\n\s+at /); // one line, no stack trace
    expect(readdirSync(wrong.dataDir).filter((n) => n.startsWith('raft'))).to.deep.equal([]);
  });
});
