import { expect } from 'chai';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startCli, waitForHttp, type RunningAgent } from './agent-runner.js';
import { runCaptured } from './run-command.js';
import { pollUntil } from './cluster-poll.js';

// 127.0.24.x belongs to the telemetry/logging/operator-command tests.
const IP = '127.0.24.1';
const HTTP = 18924;
const URL_BASE = `http://${IP}:${HTTP}`;

describe('telemetry, logging and operator commands against a real agent', function () {
  this.timeout(90_000);
  let agent: RunningAgent;
  let statsd: Socket;
  const received: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'pc-telemetry-'));
  const logDir = join(dir, 'logs') + '/';

  before(async () => {
    statsd = createSocket('udp4');
    statsd.on('message', (m) => received.push(...m.toString().split('\n')));
    await new Promise<void>((r) => statsd.bind(0, IP, r));
    const config = join(dir, 'agent.json');
    writeFileSync(
      config,
      JSON.stringify({
        telemetry: {
          prometheus_retention_time: '1m',
          disable_hostname: true,
          statsd_address: `${IP}:${statsd.address().port}`,
        },
        log_json: true,
        log_file: logDir,
        log_rotate_bytes: 4096,
        log_rotate_max_files: 2,
        enable_debug: true,
        disable_remote_exec: false,
      }),
    );
    agent = startCli([
      'agent',
      '-dev',
      '-bind',
      IP,
      '-client',
      IP,
      '-http-port',
      String(HTTP),
      '-dns-port',
      '-1',
      '-serf-lan-port',
      '18925',
      '-serf-wan-port',
      '18926',
      '-server-port',
      '18927',
      '-node',
      'metered',
      '-log-level',
      'debug',
      '-config-file',
      config,
    ]);
    await waitForHttp(`${URL_BASE}/v1/status/leader`);
    await pollUntil(async () => ((await (await fetch(`${URL_BASE}/v1/status/leader`)).text()).length > 2 ? true : undefined), {
      timeoutMs: 20_000,
      what: 'a leader',
    });
  });
  after(() => {
    agent?.child.kill('SIGKILL');
    statsd?.close();
  });

  it("serves Consul's metric names and types to a Prometheus scrape", async () => {
    for (let i = 0; i < 3; i++) await fetch(`${URL_BASE}/v1/kv/k${i}`, { method: 'PUT', body: 'v' });
    await fetch(`${URL_BASE}/v1/txn`, {
      method: 'PUT',
      body: JSON.stringify([{ KV: { Verb: 'set', Key: 't', Value: 'dg==' } }]),
    });
    await fetch(`${URL_BASE}/v1/health/service/consul`);
    const text = await pollUntil(
      async () => {
        const t = await (await fetch(`${URL_BASE}/v1/agent/metrics?format=prometheus`)).text();
        return /^consul_autopilot_healthy 1$/m.test(t) ? t : undefined;
      },
      { timeoutMs: 20_000, what: 'autopilot.healthy' },
    );
    for (const [name, type] of [
      ['consul_raft_apply', 'counter'],
      ['consul_raft_commitTime', 'summary'],
      ['consul_raft_state_leader', 'counter'],
      ['consul_kvs_apply', 'summary'],
      ['consul_txn_apply', 'summary'],
      ['consul_catalog_register', 'summary'],
      ['consul_health_service_query', 'counter'],
      ['consul_api_http', 'summary'],
      ['consul_autopilot_healthy', 'gauge'],
      ['consul_runtime_alloc_bytes', 'gauge'],
      ['consul_runtime_num_goroutines', 'gauge'],
      ['consul_memberlist_health_score', 'gauge'],
      ['consul_serf_member_join', 'counter'],
    ]) {
      expect(text, name).to.include(`# TYPE ${name} ${type}\n`);
    }
    expect(text).to.match(/^consul_kvs_apply_count [1-9]\d*$/m);
    expect(text).to.match(/^consul_health_service_query\{service="consul"\} [1-9]/m);
  });

  it('sends the same names to a StatsD collector', async () => {
    await fetch(`${URL_BASE}/v1/kv/statsd`, { method: 'PUT', body: 'v' });
    await pollUntil(async () => (received.some((l) => /^consul\.kvs\.apply:[\d.]+\|ms$/.test(l)) ? true : undefined), {
      timeoutMs: 10_000,
      what: 'a statsd kvs.apply timer',
    });
    expect(received.some((l) => /^consul\.raft\.apply:1\|c$/.test(l))).to.equal(true);
    expect(
      received.some((l) => /^consul\.api\.http\.PUT\.v1\.kv\._:[\d.]+\|ms$/.test(l)),
      'labels flattened into the name',
    ).to.equal(true);
  });

  it('writes JSON log lines to the rotated log file, keeping at most two old files', async () => {
    for (let i = 0; i < 30; i++) await fetch(`${URL_BASE}/v1/agent/self?token=s3cr3t-token-value`);
    const files = readdirSync(logDir);
    expect(files).to.include('consul.log');
    const rotated = files.filter((f) => /^consul-\d+\.log$/.test(f));
    expect(rotated.length).to.be.within(1, 2);
    const lines = readFileSync(join(logDir, 'consul.log'), 'utf8').trim().split('\n');
    const entry = JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
    expect(entry).to.include.keys('@level', '@message', '@module', '@timestamp');
    const all = files.map((f) => readFileSync(join(logDir, f), 'utf8')).join('');
    expect(all).to.include('Request finished');
    expect(all).not.to.include('s3cr3t-token-value');
  });

  const cli = (...argv: string[]) => runCaptured(argv, { env: { CONSUL_HTTP_ADDR: URL_BASE } });

  it('info prints the agent, consul, raft, runtime, serf_lan and serf_wan sections with Consul key names', async () => {
    const r = await cli('info');
    expect(r.code).to.equal(0);
    for (const section of ['agent', 'build', 'consul', 'raft', 'runtime', 'serf_lan', 'serf_wan'])
      expect(r.out, section).to.match(new RegExp(`^${section}:$`, 'm'));
    for (const key of [
      'leader = true',
      'members = 1',
      'health_score = 0',
      'member_time = ',
      'encrypted = false',
      'state = Leader',
      'goroutines = ',
    ])
      expect(r.out).to.contain(`\t${key}`);
  });

  it('operator autopilot get-config, set-config and state', async () => {
    const set = await cli('operator', 'autopilot', 'set-config', '-max-trailing-logs=99', '-cleanup-dead-servers=false');
    expect([set.code, set.out.trim()]).to.deep.equal([0, 'Configuration updated!']);
    const get = await cli('operator', 'autopilot', 'get-config');
    expect(get.out).to.contain('CleanupDeadServers = false\n').and.to.contain('MaxTrailingLogs = 99\n');
    const state = await cli('operator', 'autopilot', 'state');
    expect(state.code).to.equal(0);
    expect(state.out)
      .to.match(/^Healthy: +true$/m)
      .and.to.match(/Name: +metered$/m)
      .and.to.match(/Status: +leader$/m);
  });

  it('exec runs the command on the agent (disable_remote_exec = false) and prints its output and exit', async () => {
    const r = await cli('exec', '-wait=1s', 'echo', 'hello-from-exec');
    expect(r.err).to.equal('');
    expect(r.out).to.contain('    metered: hello-from-exec\n');
    expect(r.out).to.contain('==> metered: finished with exit code 0\n');
    expect(r.out).to.contain('1 / 1 node(s) completed / acknowledged');
    expect(r.code).to.equal(0);
    const keys = await fetch(`${URL_BASE}/v1/kv/_rexec?recurse`);
    expect(keys.status, 'the job and its results are removed with the session').to.equal(404);
  });

  it('debug writes a tar.gz with agent/self, host, members, metrics, logs and a CPU profile', async function () {
    this.timeout(60_000);
    const out = join(dir, 'bundle');
    const r = await cli('debug', '-duration=10s', '-interval=5s', `-output=${out}`);
    expect(r.err).to.equal('');
    expect(r.code).to.equal(0);
    expect(r.out).to.contain(`Saved debug archive: ${out}.tar.gz`);
    const listing = execFileSync('tar', ['-tzf', `${out}.tar.gz`])
      .toString()
      .split('\n');
    for (const f of ['agent.json', 'host.json', 'members.json', 'consul.log', 'profile.cpuprofile', 'index.json'])
      expect(listing, f).to.include(`bundle/${f}`);
    expect(listing.filter((f) => /^bundle\/\d+\/metrics\.json$/.test(f)).length).to.be.at.least(2);
    execFileSync('tar', ['-xzf', `${out}.tar.gz`], { cwd: dir });
    const profile = JSON.parse(readFileSync(join(out, 'profile.cpuprofile'), 'utf8')) as { nodes: unknown[] };
    expect(profile.nodes.length).to.be.greaterThan(0);
  });
});
