import { connect as netConnect } from 'node:net';
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { createAgentCert, createCa, type CertificateAndKey } from '@proconsul/tls';
import { encodeFrameForTest, PROTO_RAFT, PROTO_RPC, PROTO_TLS } from './server-port-frames.js';
import { MEMORY_PLUGINS, ROCKSDB_PLUGINS, TestCluster, type ClusterNode, type PortSet, suiteFailed } from './cluster-harness.js';
import { http, pollUntil, sleep } from './cluster-poll.js';

// 127.0.7.11-29 belong to this file (127.0.7.1-9 are gossip-rollout's).
const PORTS: PortSet = { http: 27600, dns: -1, serfLan: 27401, serfWan: 27402, server: 27400 };
const OUTSIDER = '127.0.7.20';

/**
 * Three servers and a client agent with Consul's strict internal-RPC TLS: verify_incoming,
 * verify_outgoing and verify_server_hostname, each agent with its own certificate files.
 */
describe('server port with mutual TLS (real processes)', function () {
  this.timeout(300_000);
  let cluster: TestCluster;
  let servers: ClusterNode[];
  let client: ClusterNode;
  let ca: CertificateAndKey;
  let clientCert: CertificateAndKey;
  const certDir = (n: string) => join(cluster.dir, n, 'tls');

  async function writeCerts(name: string, kind: 'server' | 'client'): Promise<CertificateAndKey> {
    const leaf = await createAgentCert({ ca, kind, datacenter: 'dc1' });
    const dir = certDir(name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'ca.pem'), ca.cert);
    writeFileSync(join(dir, 'agent.pem'), leaf.cert);
    writeFileSync(join(dir, 'agent-key.pem'), leaf.key, { mode: 0o600 });
    if (kind === 'server') writeFileSync(join(dir, 'ca-key.pem'), ca.key, { mode: 0o600 });
    return leaf;
  }

  function tlsConfigFile(name: string, kind: 'server' | 'client'): string {
    const dir = certDir(name);
    const file = join(dir, 'tls.json');
    const internal_rpc = {
      ca_file: join(dir, 'ca.pem'),
      cert_file: join(dir, 'agent.pem'),
      key_file: join(dir, 'agent-key.pem'),
      verify_incoming: true,
      verify_outgoing: true,
      verify_server_hostname: true,
    };
    // Servers also sign auto_encrypt clients' certificates with the CA key.
    const auto_encrypt = kind === 'server' ? { allow_tls: true, ca_key_file: join(dir, 'ca-key.pem') } : {};
    writeFileSync(file, JSON.stringify({ tls: { internal_rpc }, auto_encrypt }));
    return file;
  }

  /** The certificate a server presents to a new TLS connection on its server port. */
  async function presentedCert(server: ClusterNode): Promise<PeerCertificate> {
    return new Promise((resolve, reject) => {
      const raw = netConnect({ host: server.ip, port: PORTS.server, localAddress: OUTSIDER }, () => {
        raw.write(Buffer.of(PROTO_TLS));
        const t = tlsConnect({
          socket: raw,
          ca: ca.cert,
          cert: clientCert.cert,
          key: clientCert.key,
          servername: 'server.dc1.consul',
        });
        t.on('secureConnect', () => {
          resolve(t.getPeerCertificate());
          t.destroy();
        });
        t.on('error', reject);
      });
      raw.on('error', reject);
    });
  }

  before(async () => {
    // Durable storage: the rotation test restarts a server, which must come back with its raft state.
    cluster = new TestCluster({ label: 'tls-cluster', ports: PORTS, plugins: ROCKSDB_PLUGINS });
    ca = await createCa();
    const join = ['-retry-join', `127.0.7.11:${PORTS.serfLan}`, '-retry-interval', '1s'];
    for (const i of [1, 2, 3]) await writeCerts(`t${i}`, 'server');
    clientCert = await writeCerts('tclient', 'client');
    servers = [1, 2, 3].map((i) =>
      cluster.add({
        name: `t${i}`,
        ip: `127.0.7.1${i}`,
        args: ['-server', '-bootstrap-expect', '3', ...join, '-config-file', tlsConfigFile(`t${i}`, 'server')],
      }),
    );
    client = cluster.add({
      name: 'tclient',
      ip: '127.0.7.14',
      args: [...join, '-config-file', tlsConfigFile('tclient', 'client')],
    });
    for (const n of [...servers, client]) n.start();
    await cluster.waitForHttp(undefined, 60_000);
    await cluster.waitForLeader(servers, 60_000);
  });
  after(async function () {
    await cluster?.cleanup(suiteFailed(this), 'tls-cluster');
  });

  it('elects a leader over TLS and serves KV writes made through the client agent', async () => {
    for (let i = 0; i < 5; i++) {
      const put = await http('PUT', `${client.url}/v1/kv/tls/k${i}`, `v${i}`);
      expect(put.status, put.body).to.equal(200);
    }
    const get = await http('GET', `${client.url}/v1/kv/tls/k4?raw`);
    expect(get.body).to.equal('v4');
    for (const s of servers) expect(s.log()).to.contain('server port TLS');
  });

  it('refuses a plaintext connection to the server port, logging one line naming the peer', async () => {
    const target = servers[0]!;
    const reply = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      const s = netConnect({ host: target.ip, port: PORTS.server, localAddress: OUTSIDER }, () =>
        s.write(Buffer.concat([Buffer.of(PROTO_RPC), encodeFrameForTest({ id: 1, method: 'Read', body: {} })])),
      );
      s.on('data', (c: Buffer) => chunks.push(c));
      s.on('error', () => {});
      s.on('close', () => resolve(Buffer.concat(chunks)));
    });
    // The only frame is the connection-level refusal (id 0); the request was never served.
    expect(reply.toString('latin1')).to.contain('RPC_TLS_REQUIRED');
    await pollUntil(async () => (target.log().includes(`refused server-port connection from ${OUTSIDER}`) ? true : undefined), {
      timeoutMs: 5000,
      what: 'the refusal in the server log',
    });
    const lines = target
      .log()
      .split('\n')
      .filter((l) => l.includes(`from ${OUTSIDER}`));
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/plaintext connection but verify_incoming requires TLS/);
  });

  it('refuses raft frames from a TLS peer holding a client certificate of the same CA', async () => {
    const target = servers[1]!;
    const closed = await new Promise<boolean>((resolve) => {
      const raw = netConnect({ host: target.ip, port: PORTS.server, localAddress: OUTSIDER }, () => {
        raw.write(Buffer.of(PROTO_TLS));
        const t = tlsConnect({
          socket: raw,
          ca: ca.cert,
          cert: clientCert.cert,
          key: clientCert.key,
          servername: 'server.dc1.consul',
        });
        t.on('secureConnect', () =>
          t.write(Buffer.concat([Buffer.of(PROTO_RAFT), encodeFrameForTest({ type: 'vote', term: 1e9 })])),
        );
        t.on('error', () => {});
        t.on('close', () => resolve(true));
      });
      raw.on('error', () => {});
    });
    expect(closed).to.equal(true);
    await pollUntil(
      async () => (target.log().includes('raft refused: certificate is not valid for server.dc1.consul') ? true : undefined),
      {
        timeoutMs: 5000,
        what: 'the raft refusal in the server log',
      },
    );
    // The forged term 1e9 never reached raft: the cluster keeps its leader and its term.
    await cluster.waitForLeader(servers, 10_000);
  });

  it('rotates every certificate (new files + SIGHUP, one agent at a time) under a write load with no failed request', async () => {
    const before = await Promise.all(servers.map((s) => presentedCert(s)));
    const failures: string[] = [];
    let writes = 0;
    let rotating = true;
    const MAX_WRITES = 2000;
    const deadline = Date.now() + 90_000;
    const targets = [client, ...servers];
    const load = (async () => {
      while ((rotating || writes < 50) && writes < MAX_WRITES && Date.now() < deadline) {
        const via = targets[writes % targets.length]!;
        try {
          const r = await http('PUT', `${via.url}/v1/kv/load/${writes}`, String(writes), 10_000);
          if (r.status !== 200) failures.push(`${via.name} #${writes}: ${r.status} ${r.body}`);
        } catch (e) {
          failures.push(`${via.name} #${writes}: ${(e as Error).message}`);
        }
        writes++;
      }
    })();
    try {
      for (const n of [...servers, client]) {
        const reloadsBefore = n.log().split('server port TLS reloaded').length;
        await writeCerts(n.name, n === client ? 'client' : 'server');
        n.signal('SIGHUP');
        await pollUntil(async () => (n.log().split('server port TLS reloaded').length > reloadsBefore ? true : undefined), {
          timeoutMs: 10_000,
          what: `${n.name} reloading its certificates`,
        });
        await sleep(1000);
      }
    } finally {
      rotating = false;
      await load;
    }
    expect(failures).to.deep.equal([]);
    expect(writes).to.be.at.least(50);
    console.log(`      ${writes} writes during the rotation, none failed`);
    // New connections see the new certificates.
    const after = await Promise.all(servers.map((s) => presentedCert(s)));
    for (let i = 0; i < servers.length; i++) expect(after[i]!.fingerprint256).to.not.equal(before[i]!.fingerprint256);
    // Restarted agents dial everyone afresh, presenting and checking only the new certificates.
    await client.restart();
    await servers[2]!.restart();
    await cluster.waitForHttp([client, servers[2]!], 60_000);
    await cluster.waitForLeader(servers, 60_000);
    const put = await pollUntil(
      async () => {
        const r = await http('PUT', `${client.url}/v1/kv/tls/after-rotation`, 'ok');
        return r.status === 200 ? r : undefined;
      },
      { timeoutMs: 30_000, what: 'a write through the restarted client agent' },
    );
    expect(put.status).to.equal(200);
    await pollUntil(
      async () => ((await http('GET', `${servers[2]!.url}/v1/kv/tls/after-rotation?stale&raw`)).body === 'ok' ? true : undefined),
      { timeoutMs: 30_000, what: 'the restarted server replicating the write' },
    );
  });

  it('auto_encrypt: a client agent with only the CA file gets its certificate from the servers and writes through them', async () => {
    const dir = certDir('tauto');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'ca.pem'), ca.cert);
    const cfg = join(dir, 'tls.json');
    const internal_rpc = { ca_file: join(dir, 'ca.pem'), verify_outgoing: true, verify_server_hostname: true };
    writeFileSync(cfg, JSON.stringify({ tls: { internal_rpc }, auto_encrypt: { tls: true } }));
    const auto = cluster.add({
      name: 'tauto',
      ip: '127.0.7.15',
      args: ['-retry-join', `127.0.7.11:${PORTS.serfLan}`, '-retry-interval', '1s', '-config-file', cfg],
    });
    auto.start();
    await cluster.waitForHttp([auto], 30_000);
    await pollUntil(async () => (auto.log().includes('certificate received and installed') ? true : undefined), {
      timeoutMs: 30_000,
      what: 'tauto receiving its certificate',
    });
    const put = await pollUntil(
      async () => {
        const r = await http('PUT', `${auto.url}/v1/kv/tls/auto`, 'signed');
        return r.status === 200 ? r : undefined;
      },
      { timeoutMs: 30_000, what: 'a KV write through the auto_encrypt client' },
    );
    expect(put.status).to.equal(200);
    expect((await http('GET', `${servers[0]!.url}/v1/kv/tls/auto?raw`)).body).to.equal('signed');
    expect(servers.some((s) => s.log().includes('auto_encrypt: signed a client certificate'))).to.equal(true);
  });
});

describe('auto_encrypt under default-deny ACLs (real processes)', function () {
  this.timeout(120_000);
  const ports: PortSet = { http: 27800, dns: -1, serfLan: 27801, serfWan: 27802, server: 27803 };
  const ROOT = '6a1d7e2c-0b3f-4c5d-9e8f-a1b2c3d4e5f6';
  const GOOD = '0b7c6d5e-4f3a-4b2c-8d1e-0f9a8b7c6d5e';
  const WRONG_NODE = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
  let cluster: TestCluster;
  let ca: CertificateAndKey;

  before(async () => {
    cluster = new TestCluster({
      label: 'tls-auto-encrypt-acl',
      ports,
      plugins: MEMORY_PLUGINS,
      config: { acl: { enabled: true, default_policy: 'deny', tokens: { initial_management: ROOT, agent: ROOT } } },
    });
    ca = await createCa();
  });
  after(async function () {
    await cluster?.cleanup(suiteFailed(this), 'tls-auto-encrypt-acl');
  });

  function configFor(name: string, cfg: Record<string, unknown>): string {
    const dir = join(cluster.dir, name, 'tls');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'ca.pem'), ca.cert);
    const file = join(dir, 'tls.json');
    writeFileSync(file, JSON.stringify(cfg));
    return file;
  }

  it('signs only for a token with node:write on the requesting node', async () => {
    const sdir = join(cluster.dir, 'ae-server', 'tls');
    mkdirSync(sdir, { recursive: true });
    const leaf = await createAgentCert({ ca, kind: 'server', datacenter: 'dc1' });
    writeFileSync(join(sdir, 'agent.pem'), leaf.cert);
    writeFileSync(join(sdir, 'agent-key.pem'), leaf.key, { mode: 0o600 });
    writeFileSync(join(sdir, 'ca-key.pem'), ca.key, { mode: 0o600 });
    const serverCfg = configFor('ae-server', {
      tls: {
        internal_rpc: {
          ca_file: join(sdir, 'ca.pem'),
          cert_file: join(sdir, 'agent.pem'),
          key_file: join(sdir, 'agent-key.pem'),
          verify_incoming: true,
          verify_outgoing: true,
          verify_server_hostname: true,
        },
      },
      auto_encrypt: { allow_tls: true, ca_key_file: join(sdir, 'ca-key.pem') },
    });
    const server = cluster.add({
      name: 'ae-server',
      ip: '127.0.7.21',
      args: ['-server', '-bootstrap', '-config-file', serverCfg],
    });
    server.start();
    await cluster.waitForHttp([server], 60_000);
    const asRoot = { 'X-Consul-Token': ROOT };
    const put = (path: string, body: unknown) =>
      fetch(`${server.url}${path}`, { method: 'PUT', headers: asRoot, body: JSON.stringify(body) }).then(async (r) => ({
        status: r.status,
        body: await r.text(),
      }));
    await pollUntil(
      async () =>
        (await put('/v1/acl/policy', { Name: 'ae-good', Rules: 'node "ae-good" { policy = "write" }' })).status === 200
          ? true
          : undefined,
      {
        timeoutMs: 30_000,
        what: 'creating the policy once the leader has made the management token',
      },
    );
    expect((await put('/v1/acl/token', { SecretID: GOOD, Policies: [{ Name: 'ae-good' }] })).status).to.equal(200);
    expect((await put('/v1/acl/token', { SecretID: WRONG_NODE, Policies: [{ Name: 'ae-good' }] })).status).to.equal(200);

    const clientArgs = (name: string, token: string) => [
      '-retry-join',
      `127.0.7.21:${ports.serfLan}`,
      '-retry-interval',
      '1s',
      '-config-file',
      configFor(name, {
        tls: {
          internal_rpc: {
            ca_file: join(cluster.dir, name, 'tls', 'ca.pem'),
            verify_outgoing: true,
            verify_server_hostname: true,
          },
        },
        auto_encrypt: { tls: true },
        acl: { tokens: { agent: token } },
      }),
    ];
    const good = cluster.add({ name: 'ae-good', ip: '127.0.7.22', args: clientArgs('ae-good', GOOD) });
    // The same token, but this agent's node name is not the one the policy grants.
    const other = cluster.add({ name: 'ae-other', ip: '127.0.7.23', args: clientArgs('ae-other', WRONG_NODE) });
    good.start();
    other.start();
    await cluster.waitForHttp([good, other], 60_000);
    await pollUntil(async () => (good.log().includes('certificate received and installed') ? true : undefined), {
      timeoutMs: 30_000,
      what: 'ae-good receiving its certificate',
    });
    await pollUntil(
      async () =>
        other.log().includes('Permission denied: node:write on \\"ae-other\\"') ||
        other.log().includes('Permission denied: node:write on "ae-other"')
          ? true
          : undefined,
      {
        timeoutMs: 30_000,
        what: 'ae-other being refused',
      },
    );
    expect(other.log()).to.not.contain('certificate received and installed');
    // With its certificate, ae-good's RPC reaches the server (a write with the management token).
    const w = await pollUntil(
      async () => {
        const r = await fetch(`${good.url}/v1/kv/ae/x`, { method: 'PUT', headers: asRoot, body: 'v' });
        return r.status === 200 ? r.status : undefined;
      },
      { timeoutMs: 30_000, what: 'a KV write through ae-good' },
    );
    expect(w).to.equal(200);
  });
});
