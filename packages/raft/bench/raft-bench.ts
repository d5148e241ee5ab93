/**
 * Raft commit throughput and latency: `npm run bench:raft`.
 * Three server agents (RocksDB engine) on 127.0.71.1-3; proposals are KV sets sent as the
 * server RPC `Write` straight to the leader's server port, so each one is exactly one raft
 * log entry, committed by a quorum and applied before the reply (no HTTP in the way).
 * The disk's own write+fsync latency is measured first in the same filesystem, for
 * reference: a commit cannot be faster than one fsync on the leader plus one on a follower
 * (batching lets many commits share them).
 * It runs once per raft log backend in RAFT_LOGSTORE (default both: "boltdb,wal"), a fresh
 * cluster each, and prints a table for each and a side-by-side summary.
 * Bounded: each phase runs for PHASE_MS or MAX_OPS proposals, whichever ends first.
 */
import { Container } from 'inversify';
import { importPlugin, Lifecycle, NullLogger, ServerRpc, type RuntimeConfig } from '@proconsul/kernel';
import {
  benchCleanup,
  benchEnvironment,
  benchRaftLogStores,
  benchTempDir,
  closedLoop,
  fmt,
  fsyncLatencies,
  printTable,
  startServerCluster,
  stopAgents,
  summarize,
  waitForLeader,
  type RaftLogBackend,
  type RunningAgent,
} from '@proconsul/kernel/testing';

const IPS = ['127.0.71.1', '127.0.71.2', '127.0.71.3'];
const CONCURRENCY = [1, 16, 64];
const PHASE_MS = 6000;
const MAX_OPS = 200_000;
const FSYNC_PROBES = 300;
// Small values: the point is consensus overhead, not payload bandwidth.
const VALUE = Buffer.alloc(64, 'v');
// Keys cycle so the store stays small however fast the cluster is.
const KEY_SPACE = 10_000;

function write(rpc: ServerRpc, leader: RunningAgent, seq: number): Promise<unknown> {
  const command = { v: 1, type: 'kv-set', Key: `bench/raft/${seq % KEY_SPACE}`, Value: VALUE, now: 0 };
  return rpc.call(leader.serverAddr, 'Write', { command }, 10_000).then((reply) => {
    if ((reply as { value?: unknown }).value !== true) throw new Error(`unexpected Write reply ${JSON.stringify(reply)}`);
  });
}

/**
 * The client side of the server port, as a client agent has it: the server-rpc plugin
 * loaded by name (raft does not import it) and resolved by token.
 */
async function serverRpcClient(): Promise<{ rpc: ServerRpc; close: () => Promise<void> }> {
  const plugin = await importPlugin('@proconsul/server-rpc', import.meta.filename);
  const c = new Container();
  const runtime = { server: false } as unknown as RuntimeConfig;
  c.load(plugin.createModule({}, { config: runtime, logger: new NullLogger() }));
  const lifecycle = c.get<Lifecycle>(Lifecycle);
  return { rpc: c.get<ServerRpc>(ServerRpc), close: async () => lifecycle.stop?.() };
}

/** One cluster on `backend`; returns the table rows (one per proposer count). */
async function runBackend(backend: RaftLogBackend, rpc: ServerRpc): Promise<string[][]> {
  const { agents } = await startServerCluster(`raft-${backend}`, IPS, {
    engine: 'rocksdb',
    raftMultiplier: 1,
    raftLogStore: backend,
  });
  try {
    const leader = await waitForLeader(agents);
    console.log(`${backend}: leader ${leader.name} (${leader.serverAddr}); warming up`);
    await closedLoop(8, 2000, 1000, (seq) => write(rpc, leader, seq));
    const rows: string[][] = [];
    for (const c of CONCURRENCY) {
      const r = await closedLoop(c, PHASE_MS, MAX_OPS, (seq) => write(rpc, leader, seq));
      const s = summarize(r.latenciesMs);
      rows.push([String(c), fmt(r.ok), fmt(r.errors), fmt(r.ok / r.seconds), fmt(s.p50, 2), fmt(s.p99, 2), fmt(s.max, 1)]);
      if (r.firstError) console.log(`  ${c} proposers: first error: ${r.firstError}`);
    }
    printTable(
      `Raft commits, 3 servers on loopback (RocksDB engine, raft_logstore.backend = "${backend}", raft_multiplier 1), server RPC Write of 64 B KV sets to the leader, ${PHASE_MS / 1000} s per row`,
      ['proposers', 'commits', 'errors', 'commits/s', 'p50 ms', 'p99 ms', 'max ms'],
      rows,
    );
    return rows;
  } finally {
    await stopAgents(agents);
  }
}

async function main(): Promise<void> {
  console.log(benchEnvironment());
  const backends = benchRaftLogStores(['boltdb', 'wal']);
  const probeDir = await benchTempDir('fsync');
  const fsync = summarize(fsyncLatencies(probeDir, FSYNC_PROBES));
  const client = await serverRpcClient();
  try {
    const results: [RaftLogBackend, string[][]][] = [];
    for (const b of backends) results.push([b, await runBackend(b, client.rpc)]);
    if (results.length > 1) {
      printTable(
        'Raft log backends side by side: commits/s and p50 ms per proposer count',
        ['proposers', ...results.flatMap(([b]) => [`${b} commits/s`, `${b} p50 ms`])],
        CONCURRENCY.map((c, i) => [String(c), ...results.flatMap(([, rows]) => [rows[i]![3]!, rows[i]![4]!])]),
      );
    }
    printTable(
      `Disk reference: write(256 B)+fsync in the data dir's filesystem, ${FSYNC_PROBES} times (measured before the clusters started)`,
      [' probe', 'count', 'p50 ms', 'p99 ms', 'max ms', 'fsyncs/s at p50'],
      [['write+fsync', String(fsync.count), fmt(fsync.p50, 3), fmt(fsync.p99, 3), fmt(fsync.max, 3), fmt(1000 / fsync.p50)]],
    );
  } finally {
    await client.close();
    benchCleanup();
  }
}

await main();
