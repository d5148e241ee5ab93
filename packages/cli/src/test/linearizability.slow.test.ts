import { addServers, TestCluster, type ClusterNode, type PortSet, suiteFailed } from './cluster-harness.js';
import { sleep } from './cluster-poll.js';
import { KvWorkload } from './kv-history-client.js';
import { checkHistory } from './linearizability-report.js';

// 127.0.2.x belongs to this file.
const PORTS: PortSet = { http: 28500, dns: -1, serfLan: 28301, serfWan: 28302, server: 28300 };
// Fixed so a failing run's workload can be replayed; the fault timing still varies with the machine.
const SEED = Number(process.env.PROCONSUL_LIN_SEED ?? 20240601);

describe('linearizability of KV under faults (3 real servers)', function () {
  this.timeout(180_000);
  let cluster: TestCluster;
  let servers: ClusterNode[];
  const timeline: string[] = [];
  let t0 = Date.now();
  const note = (s: string) => timeline.push(`${((Date.now() - t0) / 1000).toFixed(1)}s ${s}`);

  before(async () => {
    cluster = new TestCluster({ label: 'linearizability', ports: PORTS });
    servers = addServers(cluster, '127.0.2', 3, PORTS);
    for (const s of servers) s.start();
    await cluster.waitForHttp();
    await cluster.waitForLeader(servers, 45_000);
  });
  afterEach(function () {
    if (this.currentTest?.state !== 'failed') return;
    console.log(`    fault timeline: ${timeline.join(' | ')}`);
  });
  after(async function () {
    await cluster?.cleanup(suiteFailed(this), 'linearizability');
  });

  it('put / get / get?consistent / cas / delete stay linearizable through kill -9, restart, SIGSTOP of a follower and of the leader', async () => {
    const workload = new KvWorkload({
      keys: ['lin/a', 'lin/b', 'lin/c', 'lin/d', 'lin/e'],
      clients: 5,
      maxOps: 4000,
      opTimeoutMs: 3000,
      seed: SEED,
      // Clients keep addressing every server, dead or paused ones included: that is the point.
      nodes: () => servers,
    });
    t0 = Date.now();
    note('workload start');
    workload.start();
    try {
      await faultSchedule(cluster, servers, note);
    } finally {
      await workload.stop();
      note('workload stopped');
    }
    checkHistory(workload, timeline, SEED);
  });
});

/** Kill -9 and restart the leader, then SIGSTOP/SIGCONT a follower, then the leader (~25 s). */
async function faultSchedule(cluster: TestCluster, servers: ClusterNode[], note: (s: string) => void): Promise<void> {
  await sleep(3000);
  const leader1 = await cluster.waitForLeader(servers, 20_000);
  note(`kill -9 leader ${leader1.name}`);
  await leader1.kill('SIGKILL');
  await sleep(3000);
  note(`restart ${leader1.name}`);
  leader1.start();
  await cluster.waitForLeader(servers, 40_000);
  note('leader agreed by all three');
  await sleep(2000);
  const leader2 = await cluster.waitForLeader(servers, 20_000);
  const follower = servers.find((s) => s !== leader2)!;
  note(`SIGSTOP follower ${follower.name}`);
  follower.pause();
  await sleep(4000);
  note(`SIGCONT ${follower.name}`);
  follower.resume();
  await cluster.waitForLeader(servers, 30_000);
  await sleep(2000);
  const leader3 = await cluster.waitForLeader(servers, 20_000);
  note(`SIGSTOP leader ${leader3.name}`);
  leader3.pause();
  await sleep(5000);
  note(`SIGCONT ${leader3.name}`);
  leader3.resume();
  await cluster.waitForLeader(servers, 30_000);
  note('leader agreed by all three');
  await sleep(3000);
}
