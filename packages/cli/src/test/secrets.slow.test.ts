import { expect } from 'chai';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { looseEntries } from '@proconsul/agent';
import { ROCKSDB_PLUGINS, TestCluster, type ClusterNode, type PortSet, suiteFailed } from './cluster-harness.js';
import { http, pollUntil, sleep } from './cluster-poll.js';
import { runCaptured } from './run-command.js';

// 127.0.4.x belongs to this file.
const PORTS: PortSet = { http: 24500, dns: -1, serfLan: 24301, serfWan: 24302, server: 24300 };
const ROOT = 'd4c3b2a1-9e8f-4a7b-8c6d-5e4f3a2b1c0d';
const SERVICE_TOKEN = '2468ace0-1357-4b9d-8f11-0a1b2c3d4e5f';
const GOSSIP_KEY = 'pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s=';

/**
 * Issue #13 end to end, on a real agent with RocksDB storage: ACL tokens and KV written
 * through every way of passing a token, with the agent logging at trace and a monitor
 * tapping every line. Nothing under data_dir may be readable by group or others, and no
 * secret may appear in the agent's output, the monitor stream or the CLI's output for a
 * token without acl:write.
 */
describe('secrets: data_dir modes, logs and CLI output (real agent process)', function () {
  this.timeout(120_000);
  let cluster: TestCluster;
  let node: ClusterNode;
  const monitorText: string[] = [];
  const monitorAbort = new AbortController();
  let readerSecret = '';
  let appSecret = '';
  const cli = (token: string | undefined, ...args: string[]) =>
    runCaptured(args, { env: { CONSUL_HTTP_ADDR: `${node.ip}:${PORTS.http}`, CONSUL_HTTP_TOKEN: token } });
  const req = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${node.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });

  before(async () => {
    cluster = new TestCluster({
      label: 'secrets',
      ports: PORTS,
      plugins: ROCKSDB_PLUGINS,
      config: {
        log_level: 'trace',
        encrypt: GOSSIP_KEY,
        acl: { enabled: true, default_policy: 'deny', enable_token_persistence: true, tokens: { initial_management: ROOT } },
        services: [{ name: 'web', port: 80, token: SERVICE_TOKEN }],
      },
    });
    node = cluster.add({ name: 'sec-server', ip: '127.0.4.1', args: ['-server', '-bootstrap'] });
    // A data_dir as an older version (or a careless operator) left it: readable by all.
    chmodSync(node.dataDir, 0o755);
    writeFileSync(join(node.dataDir, 'node-id'), '5f0e2d1c-3b4a-4968-8776-a5b4c3d2e1f0\n', { mode: 0o644 });
    mkdirSync(join(node.dataDir, 'serf'), { mode: 0o755 });
    node.start();
    await cluster.waitForHttp([node]);
    await pollUntil(async () => ((await cli(ROOT, 'acl', 'token', 'read', '-self')).code === 0 ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 300,
      what: 'the initial management token to work',
    });
    // The monitor taps every line at trace, below and including what the agent prints.
    const res = await fetch(`${node.url}/v1/agent/monitor?loglevel=trace`, {
      headers: { 'X-Consul-Token': ROOT },
      signal: monitorAbort.signal,
    });
    expect(res.status).to.equal(200);
    void (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) monitorText.push(decoder.decode(chunk));
      } catch {
        // aborted at the end of the suite
      }
    })();

    // Tokens and KV through every way a token travels: header, ?token=, Bearer.
    const policy = await cli(ROOT, 'acl', 'policy', 'create', '-name', 'acl-reader', '-rules', 'acl = "read"');
    expect(policy.code, policy.err).to.equal(0);
    const reader = await cli(ROOT, 'acl', 'token', 'create', '-policy-name', 'acl-reader', '-format', 'json');
    expect(reader.code, reader.err).to.equal(0);
    readerSecret = (JSON.parse(reader.out) as { SecretID: string }).SecretID;
    const app = await req('PUT', '/v1/acl/token', { Description: 'app' }, { 'X-Consul-Token': ROOT });
    appSecret = ((await app.json()) as { SecretID: string }).SecretID;
    const calls = [
      await req('PUT', `/v1/kv/cfg/a?token=${ROOT}`, 'one'),
      await req('PUT', '/v1/kv/cfg/b', 'two', { 'X-Consul-Token': ROOT }),
      await req('PUT', '/v1/kv/cfg/c', 'three', { Authorization: `Bearer ${ROOT}` }),
      await req('GET', `/v1/kv/cfg/a?token=${appSecret}`),
      await req('GET', '/v1/kv/cfg/a', undefined, { Authorization: `Bearer ${readerSecret}` }),
      await req('PUT', `/v1/agent/token/default?token=${ROOT}`, { Token: appSecret }),
      await req('GET', `/v1/agent/self?token=${ROOT}`),
    ];
    expect(calls.map((r) => r.status)).to.deep.equal([200, 200, 200, 403, 403, 200, 200]);
    // Let the monitor stream catch up with the last lines.
    await sleep(500);
  });
  after(async function () {
    monitorAbort.abort();
    await cluster?.cleanup(suiteFailed(this), 'secrets');
  });

  it('leaves nothing under data_dir readable by group or others, and says it tightened an old data_dir', () => {
    expect(readFileSync(join(node.dataDir, 'acl-tokens.json'), 'utf8')).to.contain(appSecret);
    expect(looseEntries(node.dataDir)).to.deep.equal([]);
    expect(readFileSync(node.logFiles[0]!, 'utf8')).to.match(/data_dir was readable by group or others; removed that access/);
  });

  it('prints no secret in the agent output or the monitor stream, even at trace', () => {
    const output = readFileSync(node.logFiles[0]!, 'utf8');
    const monitor = monitorText.join('');
    expect(monitor).to.contain('Request finished');
    expect(output).to.contain('url=/v1/kv/cfg/a?token=<hidden>');
    for (const s of [ROOT, readerSecret, appSecret, SERVICE_TOKEN, GOSSIP_KEY]) {
      expect(output, `agent output holds ${s}`).not.to.contain(s);
      expect(monitor, `monitor holds ${s}`).not.to.contain(s);
    }
  });

  it("shows <hidden> to acl:read in the CLI's token read and list, and the secret to acl:write", async () => {
    const self = await cli(ROOT, 'acl', 'token', 'read', '-self', '-format', 'json');
    const rootAccessor = (JSON.parse(self.out) as { AccessorID: string }).AccessorID;
    const read = await cli(readerSecret, 'acl', 'token', 'read', '-id', rootAccessor);
    expect(read.code, read.err).to.equal(0);
    expect(read.out).to.contain('SecretID:         <hidden>').and.not.contain(ROOT);
    const list = await cli(readerSecret, 'acl', 'token', 'list');
    expect(list.code, list.err).to.equal(0);
    expect(list.out).to.contain('<hidden>');
    for (const s of [ROOT, appSecret]) expect(list.out).not.to.contain(s);
    // Its own secret, through -self, as in Consul.
    expect((await cli(readerSecret, 'acl', 'token', 'read', '-self')).out).to.contain(readerSecret);
    expect((await cli(ROOT, 'acl', 'token', 'read', '-id', rootAccessor)).out).to.contain(ROOT);
    const agentSelf = await http('GET', `${node.url}/v1/agent/self?token=${ROOT}`);
    for (const s of [ROOT, SERVICE_TOKEN, GOSSIP_KEY]) expect(agentSelf.body).not.to.contain(s);
  });
});
