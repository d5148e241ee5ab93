import { expect } from 'chai';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { addServers, TestCluster, type ClusterNode, type PortSet, suiteFailed } from './cluster-harness.js';
import { pollUntil, sleep } from './cluster-poll.js';
import { BackgroundWriter, putKeyRetrying, readKey, expectAllAcked } from './kv-writer.js';

// 127.0.88.x belongs to this file; the ports are off Consul's defaults.
const PORTS: PortSet = { http: 28850, dns: -1, serfLan: 28851, serfWan: 28852, server: 28853 };

/** kill -9 `victim` while a writer goes through the others; returns what the writer had acknowledged. */
async function killDuringWrites(cluster: TestCluster, servers: ClusterNode[], victim: ClusterNode, prefix: string) {
  const others = servers.filter((s) => s !== victim);
  const writer = new BackgroundWriter(prefix, () => others, 1500);
  writer.start();
  await sleep(1000);
  await victim.kill('SIGKILL');
  try {
    await cluster.waitForLeader(others, 30_000);
  } finally {
    await sleep(1500);
    await writer.stop();
  }
  expect(writer.outcomes.acked, JSON.stringify(writer.outcomes)).to.be.greaterThan(0);
  return writer.acked;
}

describe('raft cluster: 3 servers with raft_logstore.backend = "wal" (real processes, kill -9)', function () {
  this.timeout(240_000);
  let cluster: TestCluster;
  let servers: ClusterNode[];
  const acked = new Map<string, string>();

  before(async () => {
    cluster = new TestCluster({ label: 'raftwal', ports: PORTS, config: { raft_logstore: { backend: 'wal' } } });
    servers = addServers(cluster, '127.0.88', 3, PORTS);
    for (const s of servers) s.start();
    await cluster.waitForHttp();
  });
  after(async function () {
    await cluster?.cleanup(suiteFailed(this), 'raft cluster: 3 wal servers');
  });

  it('keeps every server’s raft log in segment files under data_dir/raft/wal (0700 dir, 0600 files)', async () => {
    const leader = await cluster.waitForLeader(servers, 45_000);
    for (let i = 0; i < 30; i++) {
      await putKeyRetrying(servers[i % 3]!, `before/${i}`, `b${i}`);
      acked.set(`before/${i}`, `b${i}`);
    }
    for (const s of servers) {
      const dir = join(s.dataDir, 'raft', 'wal');
      const files = readdirSync(dir).filter((f) => f.endsWith('.wal'));
      expect(files.length, `${s.name}: segments in ${dir}`).to.be.greaterThan(0);
      expect(statSync(dir).mode & 0o777).to.equal(0o700);
      for (const f of files) expect(statSync(join(dir, f)).mode & 0o777).to.equal(0o600);
    }
    expect(await readKey(leader, 'before/29', 'consistent')).to.equal('b29');
  });

  it('loses no acknowledged write when a follower and then the leader are killed -9 mid-burst and restarted', async () => {
    const leader = await cluster.waitForLeader(servers, 30_000);
    const follower = servers.find((s) => s !== leader)!;
    for (const [k, v] of await killDuringWrites(cluster, servers, follower, 'f-down')) acked.set(k, v);
    follower.start();
    await cluster.waitForHttp([follower]);

    const leader2 = await cluster.waitForLeader(servers, 30_000);
    for (const [k, v] of await killDuringWrites(cluster, servers, leader2, 'l-down')) acked.set(k, v);
    leader2.start();
    await cluster.waitForHttp([leader2]);

    const final = await cluster.waitForLeader(servers, 45_000);
    await putKeyRetrying(final, 'after/restarts', 'fresh');
    acked.set('after/restarts', 'fresh');
    await expectAllAcked(final, acked);
    // Each restarted server recovered its own log and caught up: every acknowledged write is in its copy.
    for (const s of [follower, leader2]) {
      await pollUntil(async () => ((await readKey(s, 'after/restarts', 'stale', 2000)) === 'fresh' ? true : undefined), {
        timeoutMs: 30_000,
        what: `${s.name} to catch up`,
      });
      const missing: string[] = [];
      for (const [key, value] of acked) if ((await readKey(s, key, 'stale')) !== value) missing.push(key);
      expect(missing, `keys missing from ${s.name}`).to.deep.equal([]);
    }
  });
});
