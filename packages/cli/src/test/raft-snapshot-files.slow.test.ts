import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { addServers, TestCluster, type ClusterNode, type PortSet, suiteFailed } from './cluster-harness.js';
import { pollUntil } from './cluster-poll.js';
import { putKeyRetrying, readKey } from './kv-writer.js';

// 127.0.51.x belongs to this file; the ports are off Consul's defaults and below the ephemeral range.
const PORTS: PortSet = { http: 28950, dns: -1, serfLan: 28951, serfWan: 28952, server: 28953 };

/** Committed snapshot directories (`<term>-<index>-<ms>`) of a server, oldest first by index. */
function snapshotDirs(s: ClusterNode): { name: string; index: number }[] {
  const dir = join(s.dataDir, 'raft', 'snapshots');
  return readdirSync(dir)
    .filter((n) => !n.endsWith('.tmp'))
    .map((name) => ({ name, index: Number(name.split('-')[1]) }))
    .sort((a, b) => a.index - b.index);
}

describe('raft snapshots as files: 3 RocksDB servers, a stopped follower catches up by InstallSnapshot (real processes)', function () {
  this.timeout(240_000);
  let cluster: TestCluster;
  let servers: ClusterNode[];
  /** Writes of the first test: first/<k> holds v<the last i with i % 100 = k>. */
  let written = 0;

  before(async () => {
    cluster = new TestCluster({
      label: 'raftsnap',
      ports: PORTS,
      // Small thresholds so a few hundred writes take several snapshots and compact the log
      // past what a stopped follower has.
      config: { raft_snapshot_threshold: 64, raft_snapshot_interval: '1s', raft_trailing_logs: 16 },
    });
    servers = addServers(cluster, '127.0.51', 3, PORTS);
    for (const s of servers) s.start();
    await cluster.waitForHttp();
  });
  after(async function () {
    await cluster?.cleanup(suiteFailed(this), 'raft snapshots as files');
  });

  it('every server keeps its snapshots under data_dir/raft/snapshots (two kept, 0700 dirs, 0600 files)', async () => {
    const leader = await cluster.waitForLeader(servers, 45_000);
    // Write in rounds until every server has taken three snapshots (the interval check runs
    // every 1-2 s), so retention has had one to delete; bounded in writes and time.
    const snapshotsTaken = (s: ClusterNode) => s.log().split('snapshot complete').length - 1;
    let i = 0;
    const deadline = Date.now() + 60_000;
    while (servers.some((s) => snapshotsTaken(s) < 3) && i < 3000 && Date.now() < deadline) {
      for (let k = 0; k < 100; k++, i++) await putKeyRetrying(servers[i % 3]!, `first/${i % 100}`, `v${i}`);
    }
    expect(
      servers.map(snapshotsTaken).every((n) => n >= 3),
      `snapshots taken: ${servers.map(snapshotsTaken).join(', ')}`,
    ).to.equal(true);
    written = i;
    expect(await readKey(leader, 'first/99', 'consistent')).to.equal(`v${written - 1}`);
    for (const s of servers) {
      expect(snapshotDirs(s).length, `${s.name}: snapshots kept`).to.equal(2);
      const dir = join(s.dataDir, 'raft', 'snapshots');
      expect(statSync(dir).mode & 0o777).to.equal(0o700);
      for (const { name } of snapshotDirs(s)) {
        expect(name).to.match(/^\d+-\d+-\d+-\d+$/);
        expect(statSync(join(dir, name)).mode & 0o777).to.equal(0o700);
        for (const f of ['meta.json', 'state.bin'])
          expect(statSync(join(dir, name, f)).mode & 0o777, `${name}/${f}`).to.equal(0o600);
        const meta = JSON.parse(readFileSync(join(dir, name, 'meta.json'), 'utf8')) as { size: number };
        expect(statSync(join(dir, name, 'state.bin')).size).to.equal(meta.size);
      }
    }
  });

  it('a follower stopped while the log is compacted past it is sent the snapshot, restores it and serves every write', async () => {
    const leader = await cluster.waitForLeader(servers, 30_000);
    const follower = servers.find((s) => s !== leader)!;
    const others = servers.filter((s) => s !== follower);
    // The commit index now bounds the follower's log: every write so far was acknowledged.
    const atKill = Number((await fetch(`${leader.url}/v1/kv/first?recurse&consistent`)).headers.get('x-consul-index'));
    expect(atKill).to.be.greaterThan(300);
    await follower.kill('SIGKILL');
    // Enough writes for snapshots on the others to compact their logs (16 trailing entries) past the follower's end.
    for (let i = 0; i < 300; i++) await putKeyRetrying(others[i % 2]!, `second/${i % 100}`, `w${i}`);
    await pollUntil(async () => (others.every((s) => snapshotDirs(s).at(-1)!.index > atKill + 100) ? true : undefined), {
      timeoutMs: 30_000,
      what: 'both running servers to snapshot past the follower',
    });
    follower.start();
    await cluster.waitForHttp([follower]);
    await pollUntil(async () => ((await readKey(follower, 'second/99', 'stale', 2000)) === 'w299' ? true : undefined), {
      timeoutMs: 45_000,
      what: `${follower.name} to catch up`,
    });
    expect(follower.log()).to.contain('installed snapshot');
    const missing: string[] = [];
    for (let k = 0; k < 100; k++) {
      if ((await readKey(follower, `first/${k}`, 'stale')) !== `v${written - 100 + k}`) missing.push(`first/${k}`);
      if ((await readKey(follower, `second/${k}`, 'stale')) !== `w${200 + k}`) missing.push(`second/${k}`);
    }
    expect(missing, `keys ${follower.name} lacks`).to.deep.equal([]);
    // The installed snapshot is now the follower's own newest file snapshot.
    expect(snapshotDirs(follower).at(-1)!.index).to.be.greaterThan(atKill + 100);
  });
});
