/**
 * Issue #20's timing behaviours against real agent processes, on 127.0.15.x with ports off
 * Consul's defaults:
 *  - a client library's test fixture: `agent -dev -bootstrap-expect 1 -config-file …`, driven
 *    by the npm `consul` client, which registers, sleeps 40 ms and reads the catalog back;
 *  - a follower holds writes through the election that follows a kill -9 of the leader;
 *  - a restarted server is listed by /v1/status/peers at once and promoted back to voter.
 */
import { expect } from 'chai';
import Consul from 'consul';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, waitForHttp, type RunningAgent } from './agent-runner.js';
import { addServers, MEMORY_PLUGINS, TestCluster, type ClusterNode, type PortSet, suiteFailed } from './cluster-harness.js';
import { getJson, http, pollUntil, sleep } from './cluster-poll.js';

const DEV_IP = '127.0.15.1';
const DEV_CLIENT_IP = '127.0.15.2';
const DEV_PORTS = { http: 25500, dns: -1, serf_lan: 25301, serf_wan: 25302, server: 25300 };

interface HealthEntry {
  Service: { ID: string };
  Checks: { CheckID: string }[];
}

describe('a client library fixture: agent -dev -bootstrap-expect 1 -config-file (npm consul)', function () {
  this.timeout(90_000);
  const dir = mkdtempSync(join(tmpdir(), 'pc-fidelity-dev-'));
  const agents: RunningAgent[] = [];
  let server: InstanceType<typeof Consul>;
  let client: InstanceType<typeof Consul>;

  before(async () => {
    const config = join(dir, 'fixture.json');
    writeFileSync(
      config,
      JSON.stringify({ bind_addr: DEV_IP, client_addr: DEV_IP, node_name: 'fixture', ports: DEV_PORTS, log_level: 'warn' }),
    );
    agents.push(startCli(['agent', '-dev', '-bootstrap-expect', '1', '-config-file', config]));
    await waitForHttp(`http://${DEV_IP}:${DEV_PORTS.http}/v1/agent/self`);
    // A client agent joined to it, so registrations also travel agent → server over the RPC port.
    agents.push(
      startCli([
        'agent',
        '-node',
        'fixture-client',
        '-bind',
        DEV_CLIENT_IP,
        '-client',
        DEV_CLIENT_IP,
        '-data-dir',
        join(dir, 'client'),
        '-http-port',
        String(DEV_PORTS.http),
        '-dns-port',
        '-1',
        '-serf-lan-port',
        String(DEV_PORTS.serf_lan),
        '-serf-wan-port',
        String(DEV_PORTS.serf_wan),
        '-server-port',
        String(DEV_PORTS.server),
        '-retry-join',
        `${DEV_IP}:${DEV_PORTS.serf_lan}`,
        '-retry-interval',
        '1s',
        '-plugins',
        MEMORY_PLUGINS,
      ]),
    );
    await waitForHttp(`http://${DEV_CLIENT_IP}:${DEV_PORTS.http}/v1/agent/self`);
    server = new Consul({ host: DEV_IP, port: DEV_PORTS.http });
    client = new Consul({ host: DEV_CLIENT_IP, port: DEV_PORTS.http });
    await pollUntil(async () => ((await client.catalog.node.list()) as unknown[]).length === 2 || undefined, {
      timeoutMs: 30_000,
      what: 'both agents in the catalog',
    });
  });
  after(async function () {
    for (const a of agents) a.child.kill('SIGKILL');
    await Promise.all(agents.map((a) => a.exited));
    if (suiteFailed(this)) for (const a of agents) console.log(a.output().slice(-3000));
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts, warns that bootstrap_expect = 1 is bootstrap mode, and answers agent.self with exactly Consul’s keys', async () => {
    const self = (await server.agent.self()) as Record<string, Record<string, unknown>>;
    expect(Object.keys(self).sort()).to.deep.equal(['Config', 'Coord', 'DebugConfig', 'Member', 'Meta', 'Stats']);
    expect(self['Config']).to.deep.include({ NodeName: 'fixture', Server: true, Datacenter: 'dc1' });
    expect((self['Config']!['Ports'] as Record<string, number>)['Server']).to.equal(DEV_PORTS.server);
    expect(agents[0]!.output()).to.contain('bootstrap_expect = 1 is the same as bootstrap mode');
    expect(await server.status.leader()).to.equal(`${DEV_IP}:${DEV_PORTS.server}`);
  });

  for (const [label, pick] of [
    ['the dev server', () => server],
    ['a client agent', () => client],
  ] as const) {
    it(`register, sleep 40 ms, read back: the catalog and health agree at once (${label}, 20 rounds)`, async () => {
      const c = pick();
      for (let i = 0; i < 20; i++) {
        const id = `web-${label.length}-${i}`;
        // The library's typings demand check fields Consul does not (name, timeout): a TTL check is what fixtures send.
        const registration = { name: 'web', id, port: 8000 + i, check: { ttl: '30s' } };
        await c.agent.service.register(registration as unknown as Parameters<typeof c.agent.service.register>[0]);
        await sleep(40);
        const health = (await c.health.service('web')) as HealthEntry[];
        expect(
          health.map((h) => h.Service.ID),
          `round ${i}: health after register`,
        ).to.deep.equal([id]);
        expect(health[0]!.Checks.map((k) => k.CheckID)).to.include(`service:${id}`);
        const nodes = (await c.catalog.service.nodes('web')) as { ServiceID: string }[];
        expect(
          nodes.map((n) => n.ServiceID),
          `round ${i}: catalog after register`,
        ).to.deep.equal([id]);
        await c.agent.service.deregister(id);
        await sleep(40);
        expect(await c.health.service('web'), `round ${i}: health after deregister`).to.deep.equal([]);
        expect(await c.catalog.service.nodes('web'), `round ${i}: catalog after deregister`).to.deep.equal([]);
      }
    });
  }

  it('maintenance mode shows as a critical check with the reason in Notes', async () => {
    await server.agent.service.register({ name: 'db', id: 'db-1', port: 5432 });
    await server.agent.service.maintenance({ id: 'db-1', enable: true, reason: 'disk swap' });
    await sleep(40);
    const checks = (await server.health.node('fixture')) as { CheckID: string; Status: string; Notes: string }[];
    expect(checks.find((k) => k.CheckID === '_service_maintenance:db-1')).to.deep.include({
      Status: 'critical',
      Notes: 'disk swap',
    });
  });
});

// Three servers on 127.0.15.1-3, on ports of their own (the fixture above has stopped by then).
const HOLD_PORTS: PortSet = { http: 25510, dns: -1, serfLan: 25311, serfWan: 25312, server: 25310 };

interface Outcome {
  readonly key: string;
  readonly status: number;
  readonly body: string;
  readonly ms: number;
}

describe('a follower holds forwarded writes through a leader election (3 servers, kill -9)', function () {
  this.timeout(120_000);
  let cluster: TestCluster;
  let servers: ClusterNode[];

  before(async () => {
    // RocksDB: a restarted server keeps its raft state, as in production.
    cluster = new TestCluster({ label: 'fidelity-hold', ports: HOLD_PORTS });
    servers = addServers(cluster, '127.0.15', 3, HOLD_PORTS);
    for (const s of servers) s.start();
    await cluster.waitForHttp();
  });
  after(async function () {
    await cluster?.cleanup(suiteFailed(this), 'fidelity-hold');
  });

  it('no write fails; those issued during the election wait and then succeed, each applied once', async () => {
    const leader = await cluster.waitForLeader(servers, 45_000);
    const follower = servers.find((s) => s !== leader)!;
    const outcomes: Outcome[] = [];
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        const key = `hold/${i}`;
        const t0 = Date.now();
        // Create-only (cas=0): a write applied twice would answer false the second time.
        const r = await http('PUT', `${follower.url}/v1/kv/${key}?cas=0`, `v${i}`, 20_000).catch((e: unknown) => ({
          status: 0,
          body: String(e),
        }));
        outcomes.push({ key, status: r.status, body: r.body, ms: Date.now() - t0 });
        await sleep(10);
      }
    })();
    await sleep(1500);
    const killedAt = outcomes.length;
    await leader.kill('SIGKILL');
    await cluster.waitForLeader(
      servers.filter((s) => s !== leader),
      45_000,
    );
    await sleep(1500);
    stop = true;
    await writer;

    const failed = outcomes.filter((o) => o.status !== 200 || o.body.trim() !== 'true');
    const detail = JSON.stringify(failed.slice(0, 5));
    // Nothing refused outright: no dial errors, no "No cluster leader" within the 7 s hold.
    expect(
      failed.filter((o) => /ECONNREFUSED|connect |No cluster leader/.test(o.body)),
      detail,
    ).to.deep.equal([]);
    // Not even the write on the wire when the leader died: it is resent under its request ID
    // and applied once (a double apply of cas=0 would answer false).
    expect(failed, detail).to.deep.equal([]);
    const afterKill = outcomes.slice(killedAt);
    expect(afterKill.length).to.be.greaterThan(3);
    const held = afterKill.filter((o) => o.status === 200 && o.ms >= 300);
    console.log(
      `      ${outcomes.length} writes, ${afterKill.length} after the kill, ${failed.length} failed, ` +
        `longest held ${Math.max(...afterKill.map((o) => o.ms))} ms${failed.length ? `; failed: ${detail}` : ''}`,
    );
    expect(held.length, `writes during the election: ${JSON.stringify(afterKill.slice(0, 5))}`).to.be.at.least(1);
    // What was acknowledged is there.
    const via = servers.find((s) => s !== leader)!;
    for (const o of outcomes.filter((x) => x.status === 200).slice(-5)) {
      const got = await getJson<{ Value: string }[]>(`${via.url}/v1/kv/${o.key}?consistent`, 10_000);
      expect(Buffer.from(got[0]!.Value, 'base64').toString()).to.equal(`v${o.key.split('/')[1]}`);
    }
  });

  it('/v1/status/peers lists the restarted server, non-voter or voter, and autopilot promotes it', async () => {
    const live = servers.filter((s) => s.running);
    const dead = servers.find((s) => !s.running)!;
    const leader = await cluster.waitForLeader(live, 45_000);
    dead.start();
    await cluster.waitForHttp([dead]);
    const everyone = servers.map((s) => s.serverAddr).sort();
    await pollUntil(
      async () => {
        const peers = (await getJson<string[]>(`${leader.url}/v1/status/peers`)).sort();
        const raft = await getJson<{ Servers: { Address: string; Voter: boolean }[] }>(
          `${leader.url}/v1/operator/raft/configuration`,
        );
        const addresses = raft.Servers.map((s) => s.Address).sort();
        // Whatever the suffrage, peers is exactly the raft configuration.
        expect(peers).to.deep.equal(addresses);
        return addresses.length === 3 && raft.Servers.every((s) => s.Voter) ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'the restarted server back as a voter' },
    );
    // The restarted server itself reports the same list once it has caught up.
    await pollUntil(
      async () => ((await getJson<string[]>(`${dead.url}/v1/status/peers`)).sort().join() === everyone.join() ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 250, what: 'the restarted server to list every peer' },
    );
  });
});
