/**
 * KV API throughput and latency against a 3-server cluster, side by side with etcd:
 * `npm run bench:kv`.
 * - Proconsul: 3 server agents (RocksDB) on 127.0.72.1-3; HTTP load (wrk, or autocannon with BENCH_LOADGEN=autocannon; keep-alive)
 *   on the leader: PUT, GET (default = leader lease), GET ?consistent (quorum check per
 *   read), GET ?stale (local read), at 1/16/64 connections, 100-byte values.
 * - Where the leader's time goes: a fresh cluster whose servers run with --cpu-prof; the
 *   leader's profile, cut to the PUT@64 window, gives the top self-time functions.
 * - etcd (Debian etcd-server, 3 members on 127.0.72.11-13) through its JSON gateway on the
 *   leader: put; range (linearizable, etcd's default) for GET and GET ?consistent; range
 *   with serializable for GET ?stale. Ratios are ours/etcd. Both clusters stay up and each
 *   row runs for us and then for etcd, back to back, so both see the same machine load.
 * RAFT_LOGSTORE=wal runs our servers with `raft_logstore { backend = "wal" }` (default boltdb).
 * Bounded: every phase lasts PHASE_S seconds; processes and temp dirs go at exit.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  benchCleanup,
  benchEnvironment,
  benchRaftLogStore,
  benchTempDir,
  closedLoop,
  ensurePeer,
  fmt,
  httpRequest,
  monotonicMicros,
  printTable,
  ratio,
  startServerCluster,
  stopAgents,
  topSelfTime,
  waitForLeader,
  type RunningAgent,
} from '@proconsul/kernel/testing';
import type { LoadOutcome } from './autocannon-runner.js';
import { chooseLoadGenerator } from './load-generator.js';
import { startEtcd, stopEtcd, waitForEtcdLeader, type EtcdMember } from './etcd-cluster.js';

const OUR_IPS = ['127.0.72.1', '127.0.72.2', '127.0.72.3'];
const ETCD_IPS = ['127.0.72.11', '127.0.72.12', '127.0.72.13'];
const CONNECTIONS = [1, 16, 64];
const PHASE_S = 5;
const VALUE = 'x'.repeat(100);
// Writes cycle over WRITE_KEYS keys, reads over READ_KEYS pre-written ones: bounded store size.
const WRITE_KEYS = 10_000;
const READ_KEYS = 1_000;
const OPS = ['PUT', 'GET', 'GET ?consistent', 'GET ?stale'] as const;
// wrk (installed when missing) or autocannon, the same for both clusters: load-generator.ts.
const loadGen = chooseLoadGenerator();
const raftLogStore = benchRaftLogStore('bench:kv');
type Op = (typeof OPS)[number];

type Target = {
  url: string;
  method: string;
  /** Requests repeat after `cycle` seqs (the keys the op cycles over). */
  cycle: number;
  request: (seq: number) => { path: string; body?: string };
};
type Results = Map<string, LoadOutcome>;
const key = (op: Op, c: number) => `${op}@${c}`;

function oursTarget(url: string, op: Op): Target {
  if (op === 'PUT')
    return {
      url,
      method: 'PUT',
      cycle: WRITE_KEYS,
      request: (s) => ({ path: `/v1/kv/bench/kv/${s % WRITE_KEYS}`, body: VALUE }),
    };
  const q = op === 'GET ?consistent' ? '?consistent' : op === 'GET ?stale' ? '?stale' : '';
  return { url, method: 'GET', cycle: READ_KEYS, request: (s) => ({ path: `/v1/kv/bench/read/${s % READ_KEYS}${q}` }) };
}

const b64 = (s: string) => Buffer.from(s).toString('base64');
const etcdWriteBodies = Array.from({ length: WRITE_KEYS }, (_, i) =>
  JSON.stringify({ key: b64(`bench/kv/${i}`), value: b64(VALUE) }),
);
const etcdReadBodies = (serializable: boolean) =>
  Array.from({ length: READ_KEYS }, (_, i) =>
    JSON.stringify({ key: b64(`bench/read/${i}`), ...(serializable ? { serializable: true } : {}) }),
  );

function etcdTarget(url: string, op: Op): Target {
  if (op === 'PUT')
    return {
      url,
      method: 'POST',
      cycle: WRITE_KEYS,
      request: (s) => ({ path: '/v3/kv/put', body: etcdWriteBodies[s % WRITE_KEYS] }),
    };
  const bodies = etcdReadBodies(op === 'GET ?stale');
  return { url, method: 'POST', cycle: READ_KEYS, request: (s) => ({ path: '/v3/kv/range', body: bodies[s % READ_KEYS] }) };
}

/**
 * Every row for us and then the same row for etcd, back to back, with both clusters up: on a
 * shared machine the load from other work changes by the minute, and a ratio of two figures
 * measured minutes apart says more about that than about either system.
 */
async function runMatrix(
  ourTarget: (op: Op) => Target,
  peerTarget: ((op: Op) => Target) | undefined,
): Promise<[Results, Results]> {
  const mine: Results = new Map();
  const theirs: Results = new Map();
  for (const op of OPS) {
    for (const c of CONNECTIONS) {
      for (const [label, target, out] of [
        ['proconsul', ourTarget, mine],
        ['etcd', peerTarget, theirs],
      ] as const) {
        if (!target) continue;
        const t = target(op);
        const r = await loadGen.run({ ...t, connections: c, durationS: PHASE_S });
        out.set(key(op, c), r);
        console.log(
          `  ${label} ${op} @${c}: ${fmt(r.okPerSecond)} ops/s, p50 ${fmt(r.latency.p50, 2)} ms, p99 ${fmt(r.latency.p99, 2)} ms, non2xx ${r.non2xx}, errors ${r.errors}`,
        );
      }
    }
  }
  return [mine, theirs];
}

/** Write the READ_KEYS keys the GET phases read, through the same API the phase uses. */
async function prefill(write: (i: number) => Promise<number>): Promise<void> {
  const r = await closedLoop(16, 60_000, READ_KEYS, async (i) => {
    const status = await write(i);
    if (status !== 200) throw new Error(`prefill write returned ${status}`);
  });
  if (r.ok !== READ_KEYS) throw new Error(`prefill wrote ${r.ok}/${READ_KEYS} keys: ${r.firstError}`);
}

async function startOurs(): Promise<{ agents: RunningAgent[]; leader: RunningAgent }> {
  const { agents } = await startServerCluster('kv', OUR_IPS, { engine: 'rocksdb', raftMultiplier: 1, raftLogStore });
  try {
    const leader = await waitForLeader(agents);
    console.log(`proconsul leader: ${leader.name}`);
    await prefill(
      async (i) => (await httpRequest(`${leader.httpUrl}/v1/kv/bench/read/${i}`, { method: 'PUT', body: VALUE })).status,
    );
    return { agents, leader };
  } catch (e) {
    await stopAgents(agents);
    throw e;
  }
}

async function profileLeader(): Promise<void> {
  const profDir = await benchTempDir('kvprof-out');
  const { agents } = await startServerCluster('kvprof', OUR_IPS, {
    engine: 'rocksdb',
    raftMultiplier: 1,
    raftLogStore,
    nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profDir}`],
  });
  let window = { from: 0, to: 0 };
  let leaderPid = 0;
  let load: LoadOutcome | undefined;
  try {
    const leader = await waitForLeader(agents);
    leaderPid = leader.proc.pid;
    const from = monotonicMicros();
    load = await loadGen.run({ ...oursTarget(leader.httpUrl, 'PUT'), connections: 64, durationS: PHASE_S });
    window = { from, to: monotonicMicros() };
  } finally {
    // Profiles are written when the process exits normally, so stop gracefully.
    await stopAgents(agents, 20_000);
  }
  const file = readdirSync(profDir).find((f) => f.includes(`.${leaderPid}.`) && f.endsWith('.cpuprofile'));
  if (!file) {
    console.log(`\nleader CPU profile: not available (no .cpuprofile written by pid ${leaderPid})`);
    return;
  }
  const { rows, sampledMs } = topSelfTime(join(profDir, file), 10, window);
  printTable(
    `Leader CPU during PUT@64 (--cpu-prof, ${fmt(sampledMs)} ms sampled, ${fmt(load?.okPerSecond)} PUT/s while profiling): top 10 self time`,
    ['#', ' function', ' script', 'self ms', 'self %'],
    rows.map((r, i) => [String(i + 1), r.functionName, r.where, fmt(r.selfMs), fmt(r.percent, 1)]),
  );
}

/** etcd's members and leader once prefilled, or why etcd is not available. */
async function startPeer(): Promise<{ members: EtcdMember[]; leader: EtcdMember } | string> {
  const why = ensurePeer('ensure-etcd.sh');
  if (why) return why;
  const members = await startEtcd(ETCD_IPS);
  try {
    const leader = await waitForEtcdLeader(members);
    console.log(`etcd leader: ${leader.name}`);
    await prefill(async (i) => {
      const body = JSON.stringify({ key: b64(`bench/read/${i}`), value: b64(VALUE) });
      return (await httpRequest(`${leader.clientUrl}/v3/kv/put`, { method: 'POST', body })).status;
    });
    return { members, leader };
  } catch (e) {
    await stopEtcd(members);
    throw e;
  }
}

async function main(): Promise<void> {
  console.log(benchEnvironment());
  console.log(`load generator: ${loadGen.description}`);
  console.log(`raft_logstore.backend = "${raftLogStore}"`);
  try {
    const us = await startOurs();
    let mine: Results;
    let peer: Results | undefined;
    try {
      const other = await startPeer().catch((e: unknown) => `etcd failed to start: ${(e as Error).message}`);
      if (typeof other === 'string') console.log(`\npeer not available: ${other}`);
      try {
        [mine, peer] = await runMatrix(
          (op) => oursTarget(us.leader.httpUrl, op),
          typeof other === 'string' ? undefined : (op) => etcdTarget(other.leader.clientUrl, op),
        );
        if (typeof other === 'string') peer = undefined;
      } finally {
        if (typeof other !== 'string') await stopEtcd(other.members);
      }
    } finally {
      await stopAgents(us.agents);
    }
    await profileLeader();
    const rows: string[][] = [];
    for (const op of OPS) {
      for (const c of CONNECTIONS) {
        const m = mine.get(key(op, c))!;
        const e = peer?.get(key(op, c));
        rows.push([
          op,
          String(c),
          fmt(m.okPerSecond),
          fmt(m.latency.p50, 2),
          fmt(m.latency.p99, 2),
          String(m.non2xx + m.errors),
          fmt(e?.okPerSecond),
          fmt(e?.latency.p50, 2),
          fmt(e?.latency.p99, 2),
          ratio(m.okPerSecond, e?.okPerSecond),
          ratio(m.latency.p99, e?.latency.p99),
        ]);
      }
    }
    printTable(
      `KV over HTTP, 3 servers on loopback, 100 B values, ${PHASE_S} s per row, load on the leader. etcd: put / range (linearizable) / range serializable for ?stale`,
      [
        ' op',
        'conns',
        'ours ops/s',
        'ours p50 ms',
        'ours p99 ms',
        'ours failed',
        'etcd ops/s',
        'etcd p50 ms',
        'etcd p99 ms',
        'ops/s ours/etcd',
        'p99 ours/etcd',
      ],
      rows,
    );
    printTargets(mine, peer);
  } finally {
    benchCleanup();
  }
}

/**
 * Issue #18's targets for this bench, each with the figures it compares and whether this
 * run met it. Printed, never asserted: one run on a shared machine is a data point.
 */
function printTargets(mine: Results, peer: Results | undefined): void {
  const m = (op: Op, c: number) => mine.get(key(op, c))!;
  const e = (op: Op, c: number) => peer?.get(key(op, c));
  const atLeast = (ours: number, theirs: number | undefined, factor: number) =>
    theirs === undefined ? 'no peer' : ours >= factor * theirs ? 'met' : 'missed';
  const atMost = (ours: number, theirs: number | undefined) =>
    theirs === undefined ? 'no peer' : ours <= theirs ? 'met' : 'missed';
  const rows: string[][] = [];
  const putTp = m('PUT', 64).okPerSecond;
  const etcdPutTp = e('PUT', 64)?.okPerSecond;
  rows.push([
    'PUT@64 throughput ≥ 2× etcd put',
    fmt(putTp),
    fmt(etcdPutTp),
    ratio(putTp, etcdPutTp),
    atLeast(putTp, etcdPutTp, 2),
  ]);
  const putP99 = m('PUT', 64).latency.p99;
  const etcdPutP99 = e('PUT', 64)?.latency.p99;
  rows.push([
    'PUT@64 p99 ≤ etcd put p99 (ms)',
    fmt(putP99, 2),
    fmt(etcdPutP99, 2),
    ratio(putP99, etcdPutP99),
    atMost(putP99, etcdPutP99),
  ]);
  for (const op of ['GET ?consistent', 'GET'] as const) {
    const ours = m(op, 64).okPerSecond;
    // Both etcd rows are its linearizable range (its default), measured in the same matrix.
    const theirs = e(op, 64)?.okPerSecond;
    rows.push([`${op}@64 ≥ 2× etcd linearizable range`, fmt(ours), fmt(theirs), ratio(ours, theirs), atLeast(ours, theirs, 2)]);
  }
  const p50 = m('PUT', 1).latency.p50;
  const etcdP50 = e('PUT', 1)?.latency.p50;
  rows.push(['PUT@1 p50 ≤ etcd put p50 (ms)', fmt(p50, 2), fmt(etcdP50, 2), ratio(p50, etcdP50), atMost(p50, etcdP50)]);
  printTable('Targets (issue #18)', [' target', 'ours', 'etcd', 'ours/etcd', ' result'], rows);
}

await main();
