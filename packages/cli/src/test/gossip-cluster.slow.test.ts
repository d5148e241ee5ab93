import { expect } from 'chai';
import { MEMORY_PLUGINS, TestCluster, type ClusterNode, type PortSet, suiteFailed } from './cluster-harness.js';
import { getJson, pollUntil } from './cluster-poll.js';

// 127.0.3.x belongs to this file.
const PORTS: PortSet = { http: 28500, dns: -1, serfLan: 28301, serfWan: 28302, server: 28300 };
const ALIVE = 1;
const FAILED = 4;

interface Member {
  Name: string;
  Addr: string;
  Status: number;
}

/** Name → Status as `observer` sees the LAN pool. */
async function view(observer: ClusterNode): Promise<Map<string, number>> {
  const members = await getJson<Member[]>(`${observer.url}/v1/agent/members`, 3000);
  return new Map(members.map((m) => [m.Name, m.Status]));
}

/** Wait until every observer sees every `expected` entry; returns how long that took. */
async function waitForViews(
  observers: readonly ClusterNode[],
  expected: ReadonlyMap<string, number>,
  timeoutMs: number,
  what: string,
): Promise<number> {
  const t0 = Date.now();
  // allSettled, not all: when it fails, the message names every observer still wrong,
  // which tells a member that missed one rumour from a member that never came back.
  const results = await Promise.allSettled(
    observers.map((o) =>
      pollUntil(
        async () => {
          const v = await view(o);
          const wrong = [...expected].filter(([name, status]) => v.get(name) !== status);
          if (wrong.length === 0) return true;
          throw new Error(`${o.name} still sees ${wrong.map(([n]) => `${n}=${v.get(n)}`).join(',')}`);
        },
        { timeoutMs, intervalMs: 500, what: `${o.name}: ${what}` },
      ),
    ),
  );
  const failed = results.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error).message)] : []));
  if (failed.length > 0) throw new Error(`${failed.length} of ${observers.length} observers wrong:\n  ${failed.join('\n  ')}`);
  return Date.now() - t0;
}

describe('gossip: 1 server + 9 clients (real processes)', function () {
  this.timeout(180_000);
  let cluster: TestCluster;
  let agents: ClusterNode[];

  before(async () => {
    cluster = new TestCluster({ label: 'gossip', ports: PORTS, plugins: MEMORY_PLUGINS });
    const join = `127.0.3.1:${PORTS.serfLan}`;
    agents = [cluster.add({ name: 'g-server', ip: '127.0.3.1', args: ['-server', '-bootstrap'] })];
    for (let i = 2; i <= 10; i++) {
      agents.push(
        cluster.add({ name: `g-client${i}`, ip: `127.0.3.${i}`, args: ['-retry-join', join, '-retry-interval', '1s'] }),
      );
    }
    for (const a of agents) a.start();
    await cluster.waitForHttp(agents, 60_000);
  });
  after(async function () {
    const failed = suiteFailed(this);
    // CI keeps only the end of the output: the victim's own log goes last.
    const victimTail = failed ? cluster?.node('g-client5').tail(60) : undefined;
    await cluster?.cleanup(failed, 'gossip');
    if (victimTail) console.log(`\n===== g-client5 (the restarted member), last lines:\n${victimTail}`);
  });

  const allAlive = () => new Map(agents.map((a) => [a.name, ALIVE]));

  it('all ten agents list each other alive', async () => {
    const ms = await waitForViews(agents, allAlive(), 60_000, 'all ten alive');
    console.log(`    converged in ${ms} ms`);
    const v = await view(agents[9]!);
    expect(v.size, 'no extra members').to.equal(10);
  });

  it('a client killed with SIGKILL is seen failed by all the others', async () => {
    const victim = cluster.node('g-client5');
    await victim.kill('SIGKILL');
    const others = agents.filter((a) => a !== victim);
    const expected = new Map(allAlive());
    expected.set(victim.name, FAILED);
    // SWIM: probe every 1 s, then a suspicion timeout growing with log(n): ~10 s here; 60 s for a loaded machine.
    const ms = await waitForViews(others, expected, 60_000, `${victim.name} failed`);
    console.log(`    every agent saw the failure within ${ms} ms`);
  });

  it('restarted with -rejoin on its data dir (no join address), it is seen alive again by all', async () => {
    const victim = cluster.node('g-client5');
    expect(victim.running).to.equal(false);
    victim.start(['-rejoin']);
    await cluster.waitForHttp([victim], 30_000);
    const ms = await waitForViews(agents, allAlive(), 60_000, `${victim.name} alive again`);
    console.log(`    every agent saw it alive within ${ms} ms of its HTTP API answering`);
  });
});
