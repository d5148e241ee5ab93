import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { MEMORY_PLUGINS, TestCluster, type ClusterNode, type PortSet, suiteFailed } from './cluster-harness.js';
import { getJson, http, pollUntil } from './cluster-poll.js';
import { runCaptured } from './run-command.js';

// 127.0.6.x belongs to this file.
const PORTS: PortSet = { http: 29500, dns: -1, serfLan: 29301, serfWan: 29302, server: 29300 };
const newKey = () => randomBytes(32).toString('base64');

async function aliveNames(n: ClusterNode): Promise<string[]> {
  const members = await getJson<{ Name: string; Status: number }[]>(`${n.url}/v1/agent/members`, 3000);
  return members
    .filter((m) => m.Status === 1)
    .map((m) => m.Name)
    .sort();
}

async function waitAlive(observers: readonly ClusterNode[], names: readonly string[], what: string): Promise<void> {
  const want = [...names].sort().join(',');
  await Promise.all(
    observers.map((o) =>
      pollUntil(async () => ((await aliveNames(o)).join(',') === want ? true : undefined), {
        timeoutMs: 60_000,
        intervalMs: 300,
        what: `${o.name}: ${what}`,
      }),
    ),
  );
}

const keyring = (n: ClusterNode, ...args: string[]) =>
  runCaptured(['keyring', ...args], { env: { CONSUL_HTTP_ADDR: `${n.ip}:${PORTS.http}` } });

describe('gossip encryption and cluster-wide key rotation (real processes)', function () {
  this.timeout(240_000);
  const k1 = newKey();
  const k2 = newKey();
  let cluster: TestCluster;
  let agents: ClusterNode[];

  before(async () => {
    cluster = new TestCluster({ label: 'gossip-encryption', ports: PORTS, plugins: MEMORY_PLUGINS });
    const join = ['-retry-join', `127.0.6.1:${PORTS.serfLan}`, '-retry-interval', '1s'];
    agents = [
      cluster.add({ name: 'e-server', ip: '127.0.6.1', args: ['-server', '-bootstrap', '-encrypt', k1] }),
      cluster.add({ name: 'e-client2', ip: '127.0.6.2', args: ['-encrypt', k1, ...join] }),
      cluster.add({ name: 'e-client3', ip: '127.0.6.3', args: ['-encrypt', k1, ...join] }),
    ];
    for (const a of agents) a.start();
    await cluster.waitForHttp(agents, 60_000);
    await waitAlive(
      agents,
      agents.map((a) => a.name),
      'all three alive',
    );
  });
  after(async function () {
    await cluster?.cleanup(suiteFailed(this), 'gossip-encryption');
  });

  it('an agent with the wrong key cannot join the encrypted pool', async () => {
    const intruder = cluster.add({ name: 'e-intruder', ip: '127.0.6.9', args: ['-encrypt', newKey()] });
    intruder.start();
    await cluster.waitForHttp([intruder], 30_000);
    const r = await http('PUT', `${intruder.url}/v1/agent/join/127.0.6.1:${PORTS.serfLan}`);
    expect(r.status).to.not.equal(200);
    expect(await aliveNames(intruder)).to.deep.equal(['e-intruder']);
    for (const a of agents) expect(await aliveNames(a)).to.not.include('e-intruder');
    await intruder.kill('SIGTERM');
  });

  it('keyring -install/-use/-remove on one client rotate the key on every member', async () => {
    const via = agents[1]!;
    expect((await keyring(via, `-install=${k2}`)).code).to.equal(0);
    const listed = await keyring(via, '-list');
    expect(listed.code).to.equal(0);
    expect(listed.out).to.contain(`${k2} [3/3]`);
    expect((await keyring(via, `-use=${k2}`)).code).to.equal(0);
    const primary = await keyring(via, '-list-primary');
    expect(primary.out).to.contain(`${k2} [3/3]`);
    expect((await keyring(via, `-remove=${k1}`)).code).to.equal(0);
    const after = (await keyring(agents[2]!, '-list')).out;
    expect(after).to.contain(`${k2} [3/3]`);
    expect(after).to.not.contain(k1);
    // Removing the primary key is refused here, before anything is sent.
    const bad = await keyring(via, `-remove=${k2}`);
    expect(bad.code).to.equal(1);
    expect(bad.err).to.contain('primary');
    await waitAlive(
      agents,
      agents.map((a) => a.name),
      'all alive after the rotation',
    );
  });

  it('after the rotation the old key is locked out, the new one joins, and a restart keeps the new keyring', async () => {
    const stale = cluster.add({ name: 'e-stale', ip: '127.0.6.10', args: ['-encrypt', k1] });
    stale.start();
    await cluster.waitForHttp([stale], 30_000);
    expect((await http('PUT', `${stale.url}/v1/agent/join/127.0.6.1:${PORTS.serfLan}`)).status).to.not.equal(200);
    await stale.kill('SIGTERM');

    const fresh = cluster.add({ name: 'e-fresh', ip: '127.0.6.11', args: ['-encrypt', k2] });
    fresh.start();
    await cluster.waitForHttp([fresh], 30_000);
    expect((await http('PUT', `${fresh.url}/v1/agent/join/127.0.6.1:${PORTS.serfLan}`)).status).to.equal(200);
    await waitAlive(
      [...agents, fresh],
      [...agents, fresh].map((a) => a.name),
      'the new member alive',
    );

    // Its flags still say -encrypt k1, but the keyring in its data_dir (k2) wins, as in Consul.
    const restarted = agents[2]!;
    await restarted.kill('SIGKILL');
    restarted.start(['-encrypt', k1, '-rejoin']);
    await cluster.waitForHttp([restarted], 30_000);
    await waitAlive(
      [...agents, fresh],
      [...agents, fresh].map((a) => a.name),
      'the restarted member alive again',
    );
  });
});
