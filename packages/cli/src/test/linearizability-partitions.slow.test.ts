import { expect } from 'chai';
import { TestCluster, type ClusterNode, type PortSet, suiteFailed } from './cluster-harness.js';
import { sleep } from './cluster-poll.js';
import { KvWorkload } from './kv-history-client.js';
import { putKey } from './kv-writer.js';
import { checkHistory } from './linearizability-report.js';
import { NetnsLab, netnsAvailability } from './netns-lab.js';

// Agents on 127.0.4.x inside namespaces; the test reaches their HTTP APIs on 127.0.5.x. Both belong to this file.
const PORTS: PortSet = { http: 28500, dns: -1, serfLan: 28301, serfWan: 28302, server: 28300 };
const SEED = Number(process.env.PROCONSUL_LIN_SEED ?? 20240602);
const agentIp = (i: number) => `127.0.4.${i}`;
const accessIp = (i: number) => `127.0.5.${i}`;

describe('linearizability of KV under network partitions (3 servers in network namespaces)', function () {
  this.timeout(180_000);
  let cluster: TestCluster | undefined;
  let lab: NetnsLab | undefined;
  let servers: ClusterNode[];
  const timeline: string[] = [];
  let t0 = Date.now();
  const note = (s: string) => timeline.push(`${((Date.now() - t0) / 1000).toFixed(1)}s ${s}`);

  before(async function () {
    const why = netnsAvailability();
    if (why) {
      console.log(`    SKIPPED: partitions need network namespaces: ${why}`);
      this.skip();
    }
    cluster = new TestCluster({ label: 'lin-partitions', ports: PORTS });
    lab = new NetnsLab(3, agentIp, accessIp, cluster.dir);
    lab.create();
    servers = [1, 2, 3].map((i) =>
      cluster!.add({
        name: `p${i}`,
        ip: agentIp(i),
        netns: lab!.nodeNs(i),
        accessUrl: `http://${accessIp(i)}:${PORTS.http}`,
        args: ['-server', '-bootstrap-expect', '3', '-retry-join', `${agentIp(1)}:${PORTS.serfLan}`, '-retry-interval', '1s'],
      }),
    );
    for (const [k, s] of servers.entries()) {
      await lab.expose(k + 1, PORTS.http);
      s.start();
    }
    await cluster.waitForHttp(servers, 45_000);
    await cluster.waitForLeader(servers, 45_000);
  });
  afterEach(function () {
    if (this.currentTest?.state !== 'failed') return;
    console.log(`    fault timeline: ${timeline.join(' | ')}`);
  });
  after(async function () {
    // Processes first (they hold the namespaces' sockets), then the namespaces, always both.
    try {
      await cluster?.cleanup(suiteFailed(this), 'linearizability under partitions');
    } finally {
      await lab?.destroy();
    }
  });

  it('put / get / get?consistent / cas / delete stay linearizable while the leader and then a follower are cut off', async () => {
    const c = cluster!;
    const l = lab!;
    const index = (n: ClusterNode) => servers.indexOf(n) + 1;
    const workload = new KvWorkload({
      keys: ['part/a', 'part/b', 'part/c', 'part/d', 'part/e'],
      clients: 5,
      maxOps: 4000,
      opTimeoutMs: 3000,
      seed: SEED,
      nodes: () => servers,
    });
    t0 = Date.now();
    note('workload start');
    workload.start();
    try {
      await sleep(3000);
      const leader1 = await c.waitForLeader(servers, 20_000);
      note(`isolate leader ${leader1.name}`);
      l.isolate(index(leader1));
      const majority = servers.filter((s) => s !== leader1);
      const leader2 = await c.waitForLeader(majority, 20_000);
      note(`majority elected ${leader2.name}`);
      expect(leader2).to.not.equal(leader1);
      // The cut-off old leader must not acknowledge a write: it cannot reach a quorum.
      expect(await putKey(leader1, 'part/minority', 'x', 5000), 'write through the isolated old leader').to.not.equal('acked');
      await sleep(2000);
      note(`heal ${leader1.name}`);
      l.heal(index(leader1));
      await c.waitForLeader(servers, 30_000);
      note('leader agreed by all three');
      await sleep(2000);
      const leader3 = await c.waitForLeader(servers, 20_000);
      const follower = servers.find((s) => s !== leader3)!;
      note(`isolate follower ${follower.name}`);
      l.isolate(index(follower));
      await sleep(4000);
      note(`heal ${follower.name}`);
      l.heal(index(follower));
      await c.waitForLeader(servers, 30_000);
      note('leader agreed by all three');
      await sleep(3000);
    } finally {
      await workload.stop();
      note('workload stopped');
    }
    checkHistory(workload, timeline, SEED);
    // part/minority was never acknowledged; whatever happened to it, the cluster must still be writable.
    const leader = await c.waitForLeader(servers, 30_000);
    expect(await putKey(leader, 'part/final', 'ok', 10_000)).to.equal('acked');
  });
});
