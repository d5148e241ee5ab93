import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MEMORY_PLUGINS, TestCluster, suiteFailed, type ClusterNode, type PortSet } from './cluster-harness.js';
import { getJson, http, pollUntil, sleep } from './cluster-poll.js';
import { startCli, type RunningAgent } from './agent-runner.js';

// 127.0.5.x belongs to this file; non-default ports so default-port suites never collide.
const PORTS: PortSet = { http: 18555, dns: 18655, serfLan: 18351, serfWan: 18352, server: 18350 };
const REPO_ROOT = new URL('../../../../', import.meta.url).pathname;

interface Metrics {
  Gauges: { Name: string; Value: number }[];
}

async function queriesBlocking(node: ClusterNode): Promise<number> {
  const m = await getJson<Metrics>(`${node.url}/v1/agent/metrics`);
  const g = m.Gauges.find((x) => x.Name.endsWith('.rpc.queries_blocking'));
  if (!g) throw new Error('no consul.rpc.queries_blocking gauge');
  return g.Value;
}

/** Open `count` blocking queries that never return on their own; `close()` hangs up on all of them. */
function openBlockingQueries(node: ClusterNode, path: string, index: string, count: number) {
  const requests: ClientRequest[] = [];
  for (let i = 0; i < count; i++) {
    const req = request(`${node.url}${path}?index=${index}&wait=10m`, { agent: false });
    req.on('error', () => {}); // we hang up on it, or the agent stops
    req.end();
    requests.push(req);
  }
  return { close: () => requests.forEach((r) => r.destroy()) };
}

async function kvIndex(node: ClusterNode, key: string): Promise<string> {
  const r = await http('GET', `${node.url}/v1/kv/${key}`);
  const index = r.headers.get('x-consul-index');
  if (!index) throw new Error(`no X-Consul-Index from ${node.name}: ${r.status} ${r.body}`);
  return index;
}

/** Prove nothing holds host:port (TCP, and UDP for serf) by binding it ourselves. */
async function assertFree(host: string, port: number, udp = false): Promise<void> {
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, resolve);
  });
  await new Promise((r) => server.close(r));
  if (!udp) return;
  const sock = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind({ address: host, port, exclusive: true }, resolve);
  });
  await new Promise<void>((r) => sock.close(() => r()));
}

function agentArgs(ip: string, dataDir: string, extra: readonly string[] = []): string[] {
  return [
    'agent',
    '-server',
    '-bootstrap',
    '-node',
    `n-${ip}`,
    '-bind',
    ip,
    '-client',
    ip,
    '-data-dir',
    dataDir,
    '-plugins',
    MEMORY_PLUGINS,
    '-http-port',
    String(PORTS.http),
    '-dns-port',
    String(PORTS.dns),
    '-serf-lan-port',
    String(PORTS.serfLan),
    '-serf-wan-port',
    String(PORTS.serfWan),
    '-server-port',
    String(PORTS.server),
    ...extra,
  ];
}

describe('cancellation and shutdown (1 server + 1 client on 127.0.5.x)', function () {
  this.timeout(120_000);
  let cluster: TestCluster;
  let server: ClusterNode;
  let client: ClusterNode;

  before(async () => {
    cluster = new TestCluster({ label: 'cancellation', plugins: MEMORY_PLUGINS, ports: PORTS });
    server = cluster.add({ name: 's1', ip: '127.0.5.1', args: ['-server', '-bootstrap-expect', '1'] });
    // The client runs a config watch: a blocking query it forwards to the server and must
    // cancel when it stops.
    const watches = join(cluster.dir, 'c1-watches.json');
    writeFileSync(watches, JSON.stringify({ watches: [{ type: 'key', key: 'watched', args: ['/bin/true'] }] }));
    client = cluster.add({
      name: 'c1',
      ip: '127.0.5.2',
      args: ['-retry-join', `127.0.5.1:${PORTS.serfLan}`, '-retry-interval', '1s', '-config-file', watches],
    });
    server.start();
    client.start();
    await cluster.waitForHttp();
    await cluster.waitForLeader([server]);
    // The client has found the server through gossip once its reads are answered.
    await pollUntil(async () => ((await http('GET', `${client.url}/v1/kv/probe`)).status === 404 ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the client agent to reach the server',
    });
    await waitForBlocking(WATCH, 'the server to hold the client watch');
  });

  /** The client's config watch, always blocked on the server. */
  const WATCH = 1;
  const waitForBlocking = (n: number, what: string, timeoutMs = 15_000) =>
    pollUntil(async () => ((await queriesBlocking(server)) === n ? true : undefined), { timeoutMs, intervalMs: 50, what });

  after(async function () {
    await cluster?.cleanup(suiteFailed(this), 'cancellation');
  });

  it('drops the blocking queries of 50 HTTP clients that hung up, on the client agent and the server', async () => {
    const index = await kvIndex(client, 'blocked');
    const queries = openBlockingQueries(client, '/v1/kv/blocked', index, 50);
    await waitForBlocking(WATCH + 50, 'the server to hold 50 forwarded blocking queries');
    const t0 = Date.now();
    queries.close();
    await waitForBlocking(WATCH, 'the server to drop the abandoned queries', 5_000);
    expect(Date.now() - t0).to.be.lessThan(3_000);
    // Cancelling did not mark the server failed: the client still reads through it.
    expect((await http('GET', `${client.url}/v1/kv/blocked`)).status).to.equal(404);
    // The same on the server's own HTTP API, with no forwarding involved.
    const direct = openBlockingQueries(server, '/v1/kv/blocked', index, 20);
    await waitForBlocking(WATCH + 20, 'the server to hold 20 direct blocking queries');
    direct.close();
    await waitForBlocking(WATCH, 'the server to drop the abandoned direct queries', 3_000);
  });

  it('SIGTERM stops the client and then the server within 5 s, exit 0, with queries, a watch and a monitor open', async () => {
    const index = await kvIndex(client, 'held');
    const onClient = openBlockingQueries(client, '/v1/kv/held', index, 10);
    const onServer = openBlockingQueries(server, '/v1/kv/held', index, 10);
    const monitor = request(`${client.url}/v1/agent/monitor`, { agent: false });
    monitor.on('error', () => {});
    monitor.on('response', (res) => res.resume());
    monitor.end();
    await waitForBlocking(WATCH + 20, 'the server to hold 20 blocking queries');
    try {
      for (const node of [client, server]) {
        const t0 = Date.now();
        const exited = node.exited;
        await node.kill('SIGTERM', 15_000);
        const code = await exited;
        const ms = Date.now() - t0;
        expect(code, `${node.name} exit code`).to.equal(0);
        expect(ms, `${node.name} stop time`).to.be.lessThan(5_000);
        // The client's queries and watch left the server with it.
        if (node === client) await waitForBlocking(10, 'the server to drop the stopped client queries', 3_000);
      }
    } finally {
      onClient.close();
      onServer.close();
      monitor.destroy();
    }
  });
});

describe('agent start failures and launchers (127.0.5.x)', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  const agents: RunningAgent[] = [];
  const holders: Server[] = [];
  const dataDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'pc-cancel-'));
    dirs.push(d);
    return d;
  };
  afterEach(async () => {
    for (const a of agents.splice(0)) a.child.kill('SIGKILL');
    for (const h of holders.splice(0)) await new Promise((r) => h.close(r));
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  async function hold(host: string, port: number): Promise<void> {
    const s = createServer();
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen({ host, port, exclusive: true }, resolve);
    });
    holders.push(s);
  }

  for (const [what, taken] of [
    ['HTTP', PORTS.http],
    ['DNS', PORTS.dns],
    ['serf WAN', PORTS.serfWan],
  ] as const) {
    it(`exits non-zero with one error line and frees 8301/8300 when the ${what} port is taken`, async () => {
      const ip = '127.0.5.3';
      await hold(ip, taken);
      const t0 = Date.now();
      const a = startCli(agentArgs(ip, dataDir()));
      agents.push(a);
      const code = await Promise.race([a.exited, sleep(10_000).then(() => 'still running')]);
      expect(code, a.output()).to.equal(1);
      expect(Date.now() - t0).to.be.lessThan(10_000);
      const errors = a
        .output()
        .split('\n')
        .filter((l) => l.startsWith('==> Error starting agent'));
      expect(errors).to.have.length(1);
      expect(errors[0]).to.contain('EADDRINUSE').and.to.contain(`${ip}:${taken}`);
      expect(a.output()).to.not.match(/^\s+at /m); // no stack trace
      await assertFree(ip, PORTS.serfLan, true);
      await assertFree(ip, PORTS.server);
    });
  }

  it('SIGTERM to `npx proconsul agent` leaves no agent process behind', async () => {
    const ip = '127.0.5.4';
    const dir = dataDir();
    const pidFile = join(dir, 'agent.pid');
    const npx = spawn('npx', ['--no-install', 'proconsul', ...agentArgs(ip, join(dir, 'data'), ['-pid-file', pidFile])], {
      cwd: REPO_ROOT,
      stdio: 'ignore',
    });
    let agentPid = 0;
    try {
      agentPid = await pollUntil(
        async () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) || undefined : undefined),
        {
          timeoutMs: 30_000,
          what: 'the agent started by npx to write its pid file',
        },
      );
      expect(agentPid).to.not.equal(npx.pid); // npx runs the agent in a child process
      const t0 = Date.now();
      npx.kill('SIGTERM');
      await pollUntil(async () => (isAlive(agentPid) ? undefined : true), {
        timeoutMs: 10_000,
        intervalMs: 100,
        what: `agent pid ${agentPid} to exit after its npx launcher got SIGTERM`,
      });
      expect(Date.now() - t0).to.be.lessThan(5_000);
      expect(existsSync(pidFile), 'pid file removed by a clean stop').to.equal(false);
      await assertFree(ip, PORTS.http);
    } finally {
      npx.kill('SIGKILL');
      if (agentPid && isAlive(agentPid)) process.kill(agentPid, 'SIGKILL');
    }
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
