/**
 * Where a KV request's cost goes on a 3-server cluster: `npm run bench:kv-costs`.
 * Load from wrk (BENCH_LOADGEN=autocannon for autocannon). Servers on 127.0.80.1-3 (RocksDB) run with --cpu-prof and --trace-gc-nvp. For PUT@64 and
 * GET@64 (5 s each) it prints, per request: CPU time of the leader and of each follower
 * (/proc), bytes the leader's JS heap allocated (the sum of `allocated=` over the GCs
 * logged during the phase), and the leader's CPU profile summed by package and by function.
 * Then `strace -c -f` on the leader (when strace is installed) counts its syscalls over a
 * fixed number of PUTs. Bounded: two 5 s phases and at most 60 s of traced writes.
 * KV_COSTS_NET=<a.b.c> puts the servers on <a.b.c>.1-3 instead.
 * RAFT_LOGSTORE=wal runs the servers with `raft_logstore { backend = "wal" }` (default boltdb).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  benchCleanup,
  benchEnvironment,
  benchRaftLogStore,
  benchTempDir,
  closedLoop,
  cpuSeconds,
  ensurePeer,
  fmt,
  httpRequest,
  monotonicMicros,
  printTable,
  startServerCluster,
  stopAgents,
  topSelfTime,
  waitForLeader,
  type RunningAgent,
} from '@proconsul/kernel/testing';
import { chooseLoadGenerator } from './load-generator.js';
import { selfTimeByPackage } from './profile-by-package.js';
import { startEtcd, stopEtcd, waitForEtcdLeader } from './etcd-cluster.js';

// KV_COSTS_NET=127.0.88 moves the servers to another /24 when 127.0.80.x is busy (another run).
const NET = process.env['KV_COSTS_NET'] ?? '127.0.80';
const IPS = [`${NET}.1`, `${NET}.2`, `${NET}.3`];
const SKIP_ETCD = process.env['KV_COSTS_ETCD'] === '0';
const ETCD_IPS = ['127.0.80.11', '127.0.80.12', '127.0.80.13'];
const PHASE_S = 5;
const VALUE = 'x'.repeat(100);
const READ_KEYS = 1_000;
const TRACED_WRITES = 3_000;
const loadGen = chooseLoadGenerator();

interface Phase {
  readonly name: string;
  readonly method: string;
  /** `path` repeats after this many seqs. */
  readonly cycle: number;
  readonly path: (s: number) => string;
}
const PHASES: Phase[] = [
  { name: 'PUT', method: 'PUT', cycle: 10_000, path: (s) => `/v1/kv/bench/kv/${s % 10_000}` },
  { name: 'GET ?consistent', method: 'GET', cycle: READ_KEYS, path: (s) => `/v1/kv/bench/read/${s % READ_KEYS}?consistent` },
  { name: 'GET', method: 'GET', cycle: READ_KEYS, path: (s) => `/v1/kv/bench/read/${s % READ_KEYS}` },
  { name: 'GET (again)', method: 'GET', cycle: READ_KEYS, path: (s) => `/v1/kv/bench/read/${s % READ_KEYS}` },
];

/** Sum of `allocated=` (bytes allocated since the previous GC) over the GC lines in `text`. */
function allocatedBytes(text: string): { bytes: number; gcs: number } {
  let bytes = 0;
  let gcs = 0;
  for (const m of text.matchAll(/ allocated=(\d+)/g)) {
    bytes += Number(m[1]);
    gcs++;
  }
  return { bytes, gcs };
}

function logSlice(file: string, from: number): string {
  return readFileSync(file).subarray(from).toString('utf8');
}

/** `strace -c -f` on `pid` until the returned stop function is called; resolves to undefined without strace. */
async function attachStrace(pid: number, out: string): Promise<(() => Promise<void>) | undefined> {
  const strace = spawn('strace', ['-c', '-f', '-o', out, '-p', String(pid)], { stdio: 'ignore' });
  const started = await new Promise<boolean>((resolve) => {
    strace.once('error', () => resolve(false));
    setTimeout(() => resolve(true), 1500); // attaching to every thread takes a moment
  });
  if (!started) return undefined;
  return async () => {
    const exited = new Promise((resolve) => strace.once('exit', resolve));
    strace.kill('SIGINT');
    await exited;
  };
}

/** syscall -> calls, from strace -c output. */
function syscallCounts(file: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const f = line.trim().split(/\s+/);
    // % time, seconds, usecs/call, calls, [errors], syscall
    if (f.length < 5 || !/^\d/.test(f[0]!)) continue;
    const name = f[f.length - 1]!;
    const calls = Number(f[3]);
    if (name !== 'total' && Number.isFinite(calls)) out.set(name, calls);
  }
  return out;
}

/**
 * Syscalls of the leader and of one follower over TRACED_WRITES PUTs. The CPU profiler's
 * sampling signals (tgkill, getpid, rt_sig*) are left out: they are --cpu-prof's, not ours.
 */
async function traceSyscalls(leader: RunningAgent, follower: RunningAgent, dir: string): Promise<void> {
  const files = [join(dir, 'strace-leader.txt'), join(dir, 'strace-follower.txt')];
  const stops = await Promise.all([attachStrace(leader.proc.pid, files[0]!), attachStrace(follower.proc.pid, files[1]!)]);
  if (stops.some((s) => !s)) {
    await Promise.all(stops.map((s) => s?.()));
    console.log('\nstrace not available: syscalls not counted');
    return;
  }
  const r = await closedLoop(64, 60_000, TRACED_WRITES, async (i) => {
    const res = await httpRequest(`${leader.httpUrl}/v1/kv/bench/traced/${i % 1000}`, { method: 'PUT', body: VALUE });
    if (res.status !== 200) throw new Error(`PUT returned ${res.status}`);
  });
  await Promise.all(stops.map((s) => s!()));
  const [l, f] = files.map(syscallCounts) as [Map<string, number>, Map<string, number>];
  const profiler = new Set(['tgkill', 'getpid', 'rt_sigprocmask', 'rt_sigreturn']);
  const names = [...new Set([...l.keys(), ...f.keys()])].filter((n) => !profiler.has(n));
  names.sort((a, b) => (l.get(b) ?? 0) + (f.get(b) ?? 0) - (l.get(a) ?? 0) - (f.get(a) ?? 0));
  const per = (n: number | undefined) => fmt((n ?? 0) / Math.max(1, r.ok), 2);
  printTable(
    `Syscalls over ${fmt(r.ok)} PUTs (64 concurrent, strace -c -f; ${r.errors} failed)`,
    [' syscall', 'leader calls', 'leader per PUT', 'follower calls', 'follower per PUT'],
    names.slice(0, 12).map((n) => [n, fmt(l.get(n) ?? 0), per(l.get(n)), fmt(f.get(n) ?? 0), per(f.get(n))]),
  );
}

/** The same per-request CPU for etcd 3 members (no profiler), for the budget to beat. */
async function etcdCosts(): Promise<void> {
  const why = ensurePeer('ensure-etcd.sh');
  if (why) {
    console.log(`\netcd not available: ${why}`);
    return;
  }
  const members = await startEtcd(ETCD_IPS);
  try {
    const leader = await waitForEtcdLeader(members);
    const b64 = (t: string) => Buffer.from(t).toString('base64');
    const put = Array.from({ length: 10_000 }, (_, i) => JSON.stringify({ key: b64(`bench/kv/${i}`), value: b64(VALUE) }));
    const range = Array.from({ length: 10_000 }, (_, i) => JSON.stringify({ key: b64(`bench/kv/${i}`) }));
    const rows: string[][] = [];
    for (const [name, path, bodies] of [
      ['put', '/v3/kv/put', put],
      ['range (linearizable)', '/v3/kv/range', range],
    ] as const) {
      const cpu0 = members.map((m) => cpuSeconds(m.proc.pid));
      const load = await loadGen.run({
        url: leader.clientUrl,
        connections: 64,
        durationS: PHASE_S,
        method: 'POST',
        cycle: bodies.length,
        request: (s) => ({ path, body: bodies[s % bodies.length] }),
      });
      const cpu = members.map((m, i) => cpuSeconds(m.proc.pid) - cpu0[i]!);
      const usPer = (s: number) => fmt((s * 1e6) / Math.max(1, load.ok));
      rows.push([
        name,
        fmt(load.okPerSecond),
        usPer(cpu[members.indexOf(leader)]!),
        members
          .filter((m) => m !== leader)
          .map((m) => usPer(cpu[members.indexOf(m)]!))
          .join(' / '),
      ]);
    }
    printTable(
      `etcd 3.4 ×3 (JSON gateway), cost per request at 64 connections (${PHASE_S} s each)`,
      [' op', 'ops/s', 'leader CPU µs', 'followers CPU µs'],
      rows,
    );
  } finally {
    await stopEtcd(members);
  }
}

async function main(): Promise<void> {
  console.log(benchEnvironment());
  console.log(`load generator: ${loadGen.description}`);
  const profDir = await benchTempDir('kvcosts-prof');
  const raftLogStore = benchRaftLogStore('kv-costs');
  console.log(`raft_logstore.backend = "${raftLogStore}"`);
  const { agents, dir } = await startServerCluster('kvcosts', IPS, {
    engine: 'rocksdb',
    raftMultiplier: 1,
    raftLogStore,
    nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--trace-gc-nvp'],
  });
  const windows: { phase: Phase; from: number; to: number }[] = [];
  let leader: RunningAgent | undefined;
  try {
    leader = await waitForLeader(agents);
    const followers = agents.filter((a) => a !== leader);
    const closed = await closedLoop(16, 60_000, READ_KEYS, async (i) => {
      const r = await httpRequest(`${leader!.httpUrl}/v1/kv/bench/read/${i}`, { method: 'PUT', body: VALUE });
      if (r.status !== 200) throw new Error(`prefill returned ${r.status}`);
    });
    if (closed.ok !== READ_KEYS) throw new Error(`prefill: ${closed.firstError}`);
    const rows: string[][] = [];
    for (const phase of PHASES) {
      const cpu0 = agents.map((a) => cpuSeconds(a.proc.pid));
      const log0 = statSync(leader.proc.logFile).size;
      const from = monotonicMicros();
      const load = await loadGen.run({
        url: leader.httpUrl,
        connections: 64,
        durationS: PHASE_S,
        method: phase.method,
        cycle: phase.cycle,
        request: (s) => ({ path: phase.path(s), ...(phase.method === 'PUT' ? { body: VALUE } : {}) }),
      });
      windows.push({ phase, from, to: monotonicMicros() });
      const cpu = agents.map((a, i) => cpuSeconds(a.proc.pid) - cpu0[i]!);
      const alloc = allocatedBytes(logSlice(leader.proc.logFile, log0));
      const usPer = (s: number) => fmt((s * 1e6) / Math.max(1, load.ok));
      const li = agents.indexOf(leader);
      rows.push([
        phase.name,
        fmt(load.okPerSecond),
        usPer(cpu[li]!),
        followers.map((f) => usPer(cpu[agents.indexOf(f)]!)).join(' / '),
        fmt(alloc.bytes / Math.max(1, load.ok) / 1024, 1),
        fmt(alloc.gcs),
      ]);
    }
    printTable(
      `Cost per request at 64 connections on the leader (${PHASE_S} s each, servers under --cpu-prof, raft_logstore.backend = "${raftLogStore}")`,
      [' op', 'ops/s', 'leader CPU µs', 'followers CPU µs', 'leader heap KiB allocated', 'GCs'],
      rows,
    );
    await traceSyscalls(leader, followers[0]!, dir);
  } finally {
    await stopAgents(agents, 20_000);
    const profileOf = (a: RunningAgent | undefined) => {
      const f = a && readdirSync(profDir).find((n) => n.includes(`.${a.proc.pid}.`));
      return f ? join(profDir, f) : undefined;
    };
    const follower = agents.find((a) => a !== leader);
    for (const [who, file] of [
      ['Leader', profileOf(leader)],
      ['A follower', profileOf(follower)],
    ] as const) {
      if (!file) continue;
      for (const w of windows) {
        if (who !== 'Leader' && w.phase.name !== 'PUT') continue;
        const byPkg = selfTimeByPackage(file, w);
        printTable(
          `${who}'s CPU during ${w.phase.name}@64 by package (${fmt(byPkg.sampledMs)} ms sampled)`,
          [' package / area', 'self ms', 'self %'],
          byPkg.rows.slice(0, 14).map((r) => [r.area, fmt(r.selfMs), fmt(r.percent, 1)]),
        );
        const top = topSelfTime(file, 20, w);
        printTable(
          `${who}'s CPU during ${w.phase.name}@64: top 20 functions by self time`,
          [' function', ' script', 'self ms', 'self %'],
          top.rows.map((r) => [r.functionName, r.where, fmt(r.selfMs), fmt(r.percent, 1)]),
        );
      }
    }
  }
  try {
    if (!SKIP_ETCD) await etcdCosts();
  } finally {
    benchCleanup();
  }
}

await main();
