import { expect } from 'chai';
import Consul from 'consul';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { join } from 'node:path';
import { createAgentCert, createCa, type CertificateAndKey } from '@proconsul/tls';
import { ROCKSDB_PLUGINS, TestCluster, type ClusterNode, type PortSet, suiteFailed } from './cluster-harness.js';
import { pollUntil } from './cluster-poll.js';
import { RawRpcClient } from './raw-rpc-client.js';
import { runCaptured } from './run-command.js';

// 127.0.13.x belongs to this file.
const PORTS: PortSet = { http: 32500, dns: -1, serfLan: 32301, serfWan: 32302, server: 32300 };
const HTTPS_PORT = 32501;
const ROOT = '2b3c4d5e-6f70-4819-a2b3-c4d5e6f70819';
const KEY = Buffer.alloc(32, 3).toString('base64');
const SECRET = 'the database password';
const Q = { minIndex: 0, maxWaitMs: 0, allowStale: true, requireConsistent: false, maxStaleMs: 0 };

/**
 * Issue #13's "done when": three servers and a client agent with ACLs at default deny,
 * a gossip key, and TLS everywhere (mutual TLS on the server port with
 * verify_server_hostname, HTTPS with client certificates). None of the five holes
 * reproduces, and real clients (the npm `consul` package, the CLI) work over HTTPS.
 */
describe('security: a 3-server ACL + TLS cluster holds against the issue #13 attacks (real processes)', function () {
  this.timeout(240_000);
  let cluster: TestCluster;
  let rogueCluster: TestCluster;
  let servers: ClusterNode[];
  let client: ClusterNode;
  let rogue: ClusterNode;
  let ca: CertificateAndKey;
  let clientLeaf: CertificateAndKey;
  let cliLeaf: CertificateAndKey;

  async function tlsConfig(dir: string, kind: 'server' | 'client'): Promise<{ file: string; leaf: CertificateAndKey }> {
    mkdirSync(dir, { recursive: true });
    const leaf = await createAgentCert({ ca, kind, datacenter: 'dc1', additionalIpAddresses: ['127.0.13.1', '127.0.13.4'] });
    writeFileSync(join(dir, 'ca.pem'), ca.cert);
    writeFileSync(join(dir, 'agent.pem'), leaf.cert);
    writeFileSync(join(dir, 'agent-key.pem'), leaf.key, { mode: 0o600 });
    const file = join(dir, 'tls.json');
    const defaults = {
      ca_file: join(dir, 'ca.pem'),
      cert_file: join(dir, 'agent.pem'),
      key_file: join(dir, 'agent-key.pem'),
      verify_incoming: true,
      verify_outgoing: true,
    };
    writeFileSync(
      file,
      JSON.stringify({ tls: { defaults, internal_rpc: { verify_server_hostname: true } }, ports: { https: HTTPS_PORT } }),
    );
    return { file, leaf };
  }
  const req = async (method: string, url: string, token?: string, body?: string) => {
    const res = await fetch(url, {
      method,
      headers: token ? { 'X-Consul-Token': token } : {},
      body,
      signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, text: await res.text() };
  };

  before(async () => {
    ca = await createCa();
    const acl = { enabled: true, default_policy: 'deny', tokens: { initial_management: ROOT } };
    cluster = new TestCluster({ label: 'sec-tls', ports: PORTS, plugins: ROCKSDB_PLUGINS, config: { encrypt: KEY, acl } });
    const joinArgs = ['-retry-join', `127.0.13.1:${PORTS.serfLan}`, '-retry-interval', '1s'];
    servers = [];
    for (const i of [1, 2, 3]) {
      const { file } = await tlsConfig(join(cluster.dir, `s${i}-tls`), 'server');
      servers.push(
        cluster.add({
          name: `sec-s${i}`,
          ip: `127.0.13.${i}`,
          args: ['-server', '-bootstrap-expect', '3', ...joinArgs, '-config-file', file],
        }),
      );
    }
    const c = await tlsConfig(join(cluster.dir, 'client-tls'), 'client');
    clientLeaf = c.leaf;
    client = cluster.add({ name: 'sec-client', ip: '127.0.13.4', args: [...joinArgs, '-config-file', c.file] });
    cliLeaf = await createAgentCert({ ca, kind: 'cli', datacenter: 'dc1' });
    // A client agent with the gossip key and a certificate the CA signed, but no acl block.
    rogueCluster = new TestCluster({ label: 'sec-tls-rogue', ports: PORTS, plugins: ROCKSDB_PLUGINS, config: { encrypt: KEY } });
    const r = await tlsConfig(join(rogueCluster.dir, 'rogue-tls'), 'client');
    rogue = rogueCluster.add({ name: 'sec-rogue', ip: '127.0.13.5', args: [...joinArgs, '-config-file', r.file] });
    for (const n of [...servers, client]) n.start();
    rogue.start();
    await cluster.waitForHttp(undefined, 60_000);
    await rogueCluster.waitForHttp([rogue], 60_000);
    await pollUntil(
      async () => ((await req('PUT', `${client.url}/v1/kv/secret/db-password`, ROOT, SECRET)).status === 200 ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 500, what: 'a write with the management token through the client agent' },
    );
  });
  after(async function () {
    await cluster?.cleanup(suiteFailed(this), 'sec-tls');
    await rogueCluster?.cleanup(suiteFailed(this), 'sec-tls-rogue');
  });

  it('1. the server port refuses plaintext, and a TLS caller with a client certificate still gets only what its (absent) token allows', async () => {
    const plain = await RawRpcClient.open('127.0.13.1', PORTS.server);
    const noAnswer = plain.call('Read', { query: 'ACL.TokenList', args: {}, opts: Q }, 3000).catch((e: Error) => e);
    const refusal = await plain.closed;
    expect(refusal?.error?.code).to.equal('RPC_TLS_REQUIRED');
    expect(await noAnswer).to.be.instanceOf(Error);

    const tls = await RawRpcClient.openTls('127.0.13.1', PORTS.server, {
      ca: ca.cert,
      cert: clientLeaf.cert,
      key: clientLeaf.key,
      servername: 'server.dc1.consul',
    });
    try {
      expect((await tls.call('Read', { query: 'ACL.TokenList', args: {}, opts: Q })).error?.code).to.equal('PERMISSION_DENIED');
      expect((await tls.call('Read', { query: 'KVS.Get', args: { key: 'secret/db-password' }, opts: Q })).error?.code).to.equal(
        'PERMISSION_DENIED',
      );
      const put = await tls.call('Write', {
        command: { v: 1, type: 'kv-set', Key: 'secret/db-password', Value: new Uint8Array([1]) },
      });
      expect(put.error?.code).to.equal('PERMISSION_DENIED');
    } finally {
      tls.close();
    }
    // A certificate from another CA does not even complete the handshake.
    const other = await createCa();
    const foreign = await createAgentCert({ ca: other, kind: 'client', datacenter: 'dc1' });
    const refused = await RawRpcClient.openTls('127.0.13.1', PORTS.server, {
      ca: ca.cert,
      cert: foreign.cert,
      key: foreign.key,
      servername: 'server.dc1.consul',
    })
      .then(async (c) => {
        const r = await c.call('Read', { query: 'KVS.Get', args: { key: 'x' }, opts: Q }, 3000).catch((e: Error) => e);
        c.close();
        return r;
      })
      .catch((e: Error) => e);
    expect(refused).to.be.instanceOf(Error);
  });

  it('2. a client agent with the gossip key and a valid certificate but no ACL settings reads and writes nothing', async () => {
    expect((await req('GET', `${rogue.url}/v1/kv/secret/db-password`)).status).to.equal(403);
    expect((await req('PUT', `${rogue.url}/v1/kv/secret/db-password`, undefined, 'pwned')).status).to.equal(403);
    const reg = await req(
      'PUT',
      `${rogue.url}/v1/catalog/register`,
      undefined,
      JSON.stringify({ Node: 'evil', Address: '127.0.13.66', Service: { Service: 'db' } }),
    );
    expect(reg.status).to.equal(403);
    const v = await req('GET', `${client.url}/v1/kv/secret/db-password?raw`, ROOT);
    expect(v.text).to.equal(SECRET);
  });

  it('3. an acl = "read" token never sees the management token\'s SecretID', async () => {
    await req('PUT', `${client.url}/v1/acl/policy`, ROOT, JSON.stringify({ Name: 'acl-read', Rules: 'acl = "read"' }));
    const t = JSON.parse(
      (await req('PUT', `${client.url}/v1/acl/token`, ROOT, JSON.stringify({ Policies: [{ Name: 'acl-read' }] }))).text,
    ) as {
      SecretID: string;
    };
    const list = await req('GET', `${client.url}/v1/acl/tokens`, t.SecretID);
    expect(list.status).to.equal(200);
    expect(list.text).to.not.contain(ROOT);
    const root = (JSON.parse(list.text) as { AccessorID: string; Description: string }[]).find((x) =>
      x.Description.includes('Initial'),
    )!;
    expect((await req('GET', `${servers[1]!.url}/v1/acl/token/${root.AccessorID}`, t.SecretID)).text).to.not.contain(ROOT);
  });

  it("4. nothing under a server's data_dir is readable by group or others", () => {
    const loose: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isSymbolicLink()) continue;
        if ((statSync(p).mode & 0o077) !== 0) loose.push(p);
        if (e.isDirectory()) walk(p);
      }
    };
    for (const s of servers) walk(s.dataDir);
    expect(loose).to.deep.equal([]);
    expect(readdirSync(servers[0]!.dataDir).some((n) => n.startsWith('raft'))).to.equal(true);
  });

  it('5. blocking queries abandoned on the client agent do not stay on the servers', async () => {
    const index = (await fetch(`${client.url}/v1/kv/secret/db-password`, { headers: { 'X-Consul-Token': ROOT } })).headers.get(
      'X-Consul-Index',
    );
    const aborts = Array.from({ length: 10 }, () => new AbortController());
    const waits = aborts.map((a) =>
      fetch(`${client.url}/v1/kv/secret/db-password?index=${index}&wait=5m`, {
        headers: { 'X-Consul-Token': ROOT },
        signal: a.signal,
      }).catch(() => 'aborted'),
    );
    const blocking = async () => {
      let total = 0;
      for (const s of servers) {
        const m = JSON.parse((await req('GET', `${s.url}/v1/agent/metrics`, ROOT)).text) as {
          Gauges: { Name: string; Value: number }[];
        };
        total += m.Gauges.find((g) => g.Name === 'consul.rpc.queries_blocking')?.Value ?? 0;
      }
      return total;
    };
    await pollUntil(async () => ((await blocking()) >= 10 ? true : undefined), {
      timeoutMs: 10_000,
      intervalMs: 200,
      what: 'the servers to hold the queries',
    });
    for (const a of aborts) a.abort();
    await Promise.all(waits);
    await pollUntil(async () => ((await blocking()) === 0 ? true : undefined), {
      timeoutMs: 10_000,
      intervalMs: 200,
      what: 'the servers to drop the queries',
    });
  });

  it('the npm consul client and the CLI work over HTTPS with client certificates', async () => {
    const agent = new HttpsAgent({ ca: ca.cert, cert: cliLeaf.cert, key: cliLeaf.key });
    const consul = new Consul({ host: '127.0.13.4', port: HTTPS_PORT, secure: true, agent, defaults: { token: ROOT } });
    await consul.kv.set('tls/npm', 'over https');
    expect(((await consul.kv.get('tls/npm')) as { Value: string }).Value).to.equal('over https');
    agent.destroy();
    const dir = join(cluster.dir, 'cli-tls');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'ca.pem'), ca.cert);
    writeFileSync(join(dir, 'cli.pem'), cliLeaf.cert);
    writeFileSync(join(dir, 'cli-key.pem'), cliLeaf.key, { mode: 0o600 });
    const got = await runCaptured(['kv', 'get', 'tls/npm'], {
      env: {
        CONSUL_HTTP_ADDR: `https://127.0.13.4:${HTTPS_PORT}`,
        CONSUL_HTTP_TOKEN: ROOT,
        CONSUL_CACERT: join(dir, 'ca.pem'),
        CONSUL_CLIENT_CERT: join(dir, 'cli.pem'),
        CONSUL_CLIENT_KEY: join(dir, 'cli-key.pem'),
      },
    });
    expect(got.code, got.err).to.equal(0);
    expect(got.out).to.equal('over https\n');
    const noToken = await runCaptured(['kv', 'get', 'secret/db-password'], {
      env: {
        CONSUL_HTTP_ADDR: `https://127.0.13.4:${HTTPS_PORT}`,
        CONSUL_CACERT: join(dir, 'ca.pem'),
        CONSUL_CLIENT_CERT: join(dir, 'cli.pem'),
        CONSUL_CLIENT_KEY: join(dir, 'cli-key.pem'),
      },
    });
    expect(noToken.code).to.equal(1);
    expect(noToken.err).to.contain('403');
  });
});
