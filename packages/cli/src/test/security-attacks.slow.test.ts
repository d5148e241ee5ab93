import { expect } from 'chai';
import { MEMORY_PLUGINS, TestCluster, type ClusterNode, type PortSet, suiteFailed } from './cluster-harness.js';
import { pollUntil, sleep } from './cluster-poll.js';
import { RawRpcClient } from './raw-rpc-client.js';
import { runCaptured } from './run-command.js';

// 127.0.12.x belongs to this file.
const PORTS: PortSet = { http: 31500, dns: -1, serfLan: 31301, serfWan: 31302, server: 31300 };
const ROOT = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
const KEY = Buffer.alloc(32, 7).toString('base64');
const SECRET = 'correct horse battery staple';

/**
 * The attacks of issue #13, each run against real processes on loopback with ACLs at
 * default deny and a gossip key: a raw framing client on the server port, a client
 * agent that has the gossip key but no ACL settings, and a token with only `acl = "read"`.
 */
describe('security: attacks on a default-deny cluster are refused (real processes)', function () {
  this.timeout(120_000);
  let cluster: TestCluster;
  let rogueCluster: TestCluster;
  let server: ClusterNode;
  let client: ClusterNode;
  let rogue: ClusterNode;
  const as = (token: string | undefined): Record<string, string> => (token ? { 'X-Consul-Token': token } : {});
  const req = async (method: string, url: string, token?: string, body?: string) => {
    const res = await fetch(url, { method, headers: as(token), body, signal: AbortSignal.timeout(10_000) });
    return { status: res.status, text: await res.text() };
  };
  const cli = (node: ClusterNode, token: string | undefined, ...args: string[]) =>
    runCaptured(args, { env: { CONSUL_HTTP_ADDR: `${node.ip}:${PORTS.http}`, CONSUL_HTTP_TOKEN: token } });

  before(async () => {
    const acl = { enabled: true, default_policy: 'deny', tokens: { initial_management: ROOT } };
    cluster = new TestCluster({ label: 'attacks', ports: PORTS, plugins: MEMORY_PLUGINS, config: { encrypt: KEY, acl } });
    server = cluster.add({ name: 'sec-server', ip: '127.0.12.1', args: ['-server', '-bootstrap'] });
    client = cluster.add({
      name: 'sec-client',
      ip: '127.0.12.2',
      args: ['-retry-join', `127.0.12.1:${PORTS.serfLan}`, '-retry-interval', '1s'],
    });
    // Same gossip key, no acl block at all.
    rogueCluster = new TestCluster({ label: 'rogue', ports: PORTS, plugins: MEMORY_PLUGINS, config: { encrypt: KEY } });
    rogue = rogueCluster.add({
      name: 'sec-rogue',
      ip: '127.0.12.3',
      args: ['-retry-join', `127.0.12.1:${PORTS.serfLan}`, '-retry-interval', '1s'],
    });
    server.start();
    client.start();
    rogue.start();
    await cluster.waitForHttp([server, client]);
    await rogueCluster.waitForHttp([rogue]);
    await pollUntil(
      async () => ((await req('PUT', `${server.url}/v1/kv/secret/db-password`, ROOT, SECRET)).status === 200 ? true : undefined),
      {
        timeoutMs: 30_000,
        intervalMs: 300,
        what: 'the initial management token to work on the server',
      },
    );
    // The rogue agent must really be a member, or the test proves nothing.
    await pollUntil(
      async () => {
        const r = await req('GET', `${server.url}/v1/agent/members`, ROOT);
        return r.text.includes('sec-rogue') && r.text.includes('sec-client') ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 300, what: 'the rogue and client agents to join the pool' },
    );
  });
  after(async function () {
    await cluster?.cleanup(suiteFailed(this), 'attacks');
    await rogueCluster?.cleanup(suiteFailed(this), 'attacks-rogue');
  });

  it('1. a raw framing client on the server port gets no token secrets and can write nothing', async () => {
    const raw = await RawRpcClient.open('127.0.12.1', PORTS.server);
    try {
      const opts = { minIndex: 0, maxWaitMs: 0, allowStale: true, requireConsistent: false, maxStaleMs: 0 };
      const tokens = await raw.call('Read', { query: 'ACL.TokenList', args: {}, opts });
      expect(tokens.error?.code, JSON.stringify(tokens)).to.equal('PERMISSION_DENIED');
      const get = await raw.call('Read', { query: 'KVS.Get', args: { key: 'secret/db-password' }, opts });
      expect(get.error?.code).to.equal('PERMISSION_DENIED');
      const list = await raw.call('Read', { query: 'KVS.List', args: { prefix: '' }, opts });
      expect((list.body as { value: unknown[] }).value).to.deep.equal([]);
      const put = await raw.call('Write', {
        command: { v: 1, type: 'kv-set', Key: 'secret/db-password', Value: new Uint8Array([0x21]) },
      });
      expect(put.error?.code).to.equal('PERMISSION_DENIED');
      const reg = await raw.call('Write', {
        command: { v: 1, type: 'register', Node: 'evil', Address: '127.0.12.66', Service: { Service: 'db', Port: 5432 }, now: 0 },
      });
      expect(reg.error?.code).to.equal('PERMISSION_DENIED');
      // A guessed token is no better than none.
      const guess = await raw.call('Read', { query: 'ACL.TokenList', args: {}, opts, token: 'guess' });
      expect(guess.error?.code).to.match(/ACL_NOT_FOUND|PERMISSION_DENIED/);
    } finally {
      raw.close();
    }
    const value = await req('GET', `${server.url}/v1/kv/secret/db-password?raw`, ROOT);
    expect(value.text).to.equal(SECRET);
  });

  it('2. a client agent with the gossip key but no ACL settings can neither read, write nor poison the catalog', async () => {
    expect((await req('GET', `${rogue.url}/v1/kv/secret/db-password`)).status).to.equal(403);
    expect((await req('GET', `${rogue.url}/v1/kv/?recurse`)).status).to.equal(404);
    expect((await req('PUT', `${rogue.url}/v1/kv/secret/db-password`, undefined, 'pwned')).status).to.equal(403);
    const reg = await req(
      'PUT',
      `${rogue.url}/v1/catalog/register`,
      undefined,
      JSON.stringify({ Node: 'evil', Address: '127.0.12.66', Service: { Service: 'db' } }),
    );
    expect(reg.status).to.equal(403);
    // Registering on the rogue's own agent works locally, but its anti-entropy is refused by the servers.
    const local = await req(
      'PUT',
      `${rogue.url}/v1/agent/service/register`,
      undefined,
      JSON.stringify({ Name: 'db', Port: 6666 }),
    );
    expect(local.status).to.equal(200);
    await pollUntil(async () => (rogue.tail(200).includes('blocked by ACLs') ? true : undefined), {
      timeoutMs: 20_000,
      intervalMs: 300,
      what: "the rogue agent's catalog sync to be refused",
    });
    await sleep(500);
    const db = await req('GET', `${server.url}/v1/catalog/service/db`, ROOT);
    expect(JSON.parse(db.text)).to.deep.equal([]);
    expect((await req('GET', `${server.url}/v1/kv/secret/db-password?raw`, ROOT)).text).to.equal(SECRET);
  });

  it('3. a token with only acl = "read" never sees another token\'s SecretID', async () => {
    const policy = await req(
      'PUT',
      `${server.url}/v1/acl/policy`,
      ROOT,
      JSON.stringify({ Name: 'acl-read', Rules: 'acl = "read"' }),
    );
    expect(policy.status, policy.text).to.equal(200);
    const t = JSON.parse(
      (await req('PUT', `${server.url}/v1/acl/token`, ROOT, JSON.stringify({ Policies: [{ Name: 'acl-read' }] }))).text,
    ) as {
      SecretID: string;
    };
    for (const node of [server, client]) {
      const list = JSON.parse((await req('GET', `${node.url}/v1/acl/tokens`, t.SecretID)).text) as {
        AccessorID: string;
        SecretID: string;
        Description: string;
      }[];
      const root = list.find((x) => x.Description.includes('Initial Management'))!;
      expect(root.SecretID).to.not.equal(ROOT);
      const one = await req('GET', `${node.url}/v1/acl/token/${root.AccessorID}`, t.SecretID);
      expect(one.status).to.equal(200);
      expect(one.text).to.not.contain(ROOT);
      const cli1 = await cli(node, t.SecretID, 'acl', 'token', 'read', '-id', root.AccessorID);
      expect(cli1.out + cli1.err).to.not.contain(ROOT);
    }
    // It cannot make itself management either.
    const escalate = await req(
      'PUT',
      `${server.url}/v1/acl/token`,
      t.SecretID,
      JSON.stringify({ Policies: [{ Name: 'global-management' }] }),
    );
    expect(escalate.status).to.equal(403);
  });

  it('acl set-agent-token sets the default token a client agent uses for requests without one', async () => {
    await req(
      'PUT',
      `${server.url}/v1/acl/policy`,
      ROOT,
      JSON.stringify({ Name: 'read-app', Rules: 'key_prefix "app/" { policy = "read" }' }),
    );
    const t = JSON.parse(
      (await req('PUT', `${server.url}/v1/acl/token`, ROOT, JSON.stringify({ Policies: [{ Name: 'read-app' }] }))).text,
    ) as {
      SecretID: string;
    };
    await req('PUT', `${server.url}/v1/kv/app/name`, ROOT, 'demo');
    expect((await req('GET', `${client.url}/v1/kv/app/name`)).status).to.equal(403);
    const set = await cli(client, ROOT, 'acl', 'set-agent-token', 'default', t.SecretID);
    expect(set.code, set.err).to.equal(0);
    expect(set.out).to.contain('ACL token "default" set successfully');
    expect((await req('GET', `${client.url}/v1/kv/app/name`)).status).to.equal(200);
    // The default token's rights, no more: the secret stays out of reach.
    expect((await req('GET', `${client.url}/v1/kv/secret/db-password`)).status).to.equal(403);
    const bad = await cli(client, ROOT, 'acl', 'set-agent-token', 'nonsense', 'x');
    expect(bad.code).to.equal(1);
    expect(bad.err).to.contain('Unknown token type "nonsense"');
  });
});
