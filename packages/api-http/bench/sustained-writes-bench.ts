/**
 * What raft snapshots cost a big store under sustained writes: `npm run bench:sustained-writes`
 * (issue #18). `bench:scale` measures each figure in a short phase after loading, which a
 * periodic snapshot rarely falls into; here one server (RocksDB, -bootstrap, on 127.0.96.1)
 * holds SUSTAINED_KEYS keys of 100 B (default 1m) and takes PUTs from wrk (16 connections,
 * over the whole key space) for SUSTAINED_S seconds (default 60), with
 * `raft_snapshot_interval = "10s"` so several snapshots fall inside the run (Consul's default
 * is 30 s, with the same 16,384-entry threshold). Every 3 s slice prints the PUTs the server
 * applied (its KV index moves by one per PUT), its CPU per PUT (all threads, and RocksDB's
 * background threads alone), RSS, and whether a snapshot ran in it (from the server's own
 * "starting snapshot" / "snapshot complete" log lines). The summary compares slices with and
 * without a snapshot (leaving out the first, warm-up slice) and checks peak RSS against #18's
 * 1 GiB per server. SUSTAINED_NODE_FLAGS passes node/V8 flags to the server.
 * Bounded: the load runs for a fixed time, loading has a time cap.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  benchCleanup,
  benchEnvironment,
  benchTempDir,
  cpuSeconds,
  fmt,
  httpRequest,
  printTable,
  rssBytes,
  startAgent,
  stopAgents,
  summarize,
  threadCpuSeconds,
  waitForLeader,
  type RunningAgent,
} from '@proconsul/kernel/testing';
import { chooseLoadGenerator } from './load-generator.js';
import { envCount, kvKey, LOAD_CAP_MS, loadKv, MAX_CYCLE, VALUE } from './scale-load.js';
import { snapshotDuring, snapshotRuns } from './snapshot-log.js';

const IP = '127.0.96.1';
const CONNECTIONS = 16;
const SLICE_MS = 3_000;
const SNAPSHOT_INTERVAL = '10s';
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

const KEYS = envCount('SUSTAINED_KEYS', 1_000_000);
/** Node/V8 flags for the server (e.g. `--optimize-for-size`), to try memory settings under this load. */
const NODE_FLAGS = (process.env['SUSTAINED_NODE_FLAGS'] ?? '').split(/\s+/).filter(Boolean);
const SECONDS = envCount('SUSTAINED_S', 60);

interface Slice {
  readonly startMs: number;
  readonly endMs: number;
  readonly puts: number;
  readonly cpuS: number;
  readonly rocksCpuS: number;
  readonly rss: number;
}

/** The KV table's index: a GET of a missing key answers it, and each PUT moves it by one. */
async function kvIndex(url: string): Promise<number> {
  const r = await httpRequest(`${url}/v1/kv/sustained-bench/missing`, { timeoutMs: 10_000 });
  const index = Number(r.headers.get('x-consul-index'));
  if (r.status !== 404 || !Number.isFinite(index)) throw new Error(`kv index probe: ${r.status}`);
  return index;
}

async function main(): Promise<void> {
  const loadGen = chooseLoadGenerator();
  console.log(`# bench:sustained-writes — ${benchEnvironment()}`);
  console.log(
    `One RocksDB server, ${fmt(KEYS)} keys of 100 B, PUT@${CONNECTIONS} for ${SECONDS} s with ${loadGen.description}; raft_snapshot_interval = "${SNAPSHOT_INTERVAL}"${NODE_FLAGS.length ? `; server node flags: ${NODE_FLAGS.join(' ')}` : ''}.`,
  );
  const dir = await benchTempDir('sustained-writes');
  const extra = join(dir, 'snapshots.hcl');
  writeFileSync(extra, `raft_snapshot_interval = "${SNAPSHOT_INTERVAL}"\n`);
  let agent: RunningAgent | undefined;
  try {
    agent = await startAgent({
      name: 'sustained-s1',
      ip: IP,
      dir,
      server: true,
      bootstrap: true,
      engine: 'rocksdb',
      logLevel: 'info',
      nodeFlags: NODE_FLAGS,
      extraArgs: ['-config-file', extra],
    });
    await waitForLeader([agent]);
    const url = agent.httpUrl;
    const pid = agent.proc.pid;
    const load = await loadKv(url, KEYS, LOAD_CAP_MS);
    console.log(`loaded ${fmt(KEYS)} keys at ${fmt(load.perSecond)} keys/s; RSS ${fmt(rssBytes(pid) / MiB)} MiB`);

    const cycle = Math.min(KEYS, MAX_CYCLE);
    const spread = (s: number) => kvKey((s * 7919) % KEYS);
    const slices: Slice[] = [];
    let peakRss = rssBytes(pid);
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, rssBytes(pid));
    }, 100);
    const t0 = Date.now();
    const running = loadGen.run({
      url,
      method: 'PUT',
      cycle,
      connections: CONNECTIONS,
      durationS: SECONDS,
      request: (s) => ({ path: `/v1/kv/${spread(s)}`, body: VALUE }),
    });
    let done = false;
    void running.finally(() => (done = true));
    // wrk builds its request table before it sends; slices start with the first applied PUT.
    let prev = { at: Date.now(), index: await kvIndex(url), cpu: cpuSeconds(pid), rocks: threadCpuSeconds(pid, 'rocksdb') };
    while (!done && Date.now() - t0 < (SECONDS + 60) * 1000) {
      await new Promise((r) => setTimeout(r, SLICE_MS));
      if (done) break;
      const now = { at: Date.now(), index: await kvIndex(url), cpu: cpuSeconds(pid), rocks: threadCpuSeconds(pid, 'rocksdb') };
      if (now.index > prev.index || slices.length > 0) {
        slices.push({
          startMs: prev.at,
          endMs: now.at,
          puts: now.index - prev.index,
          cpuS: now.cpu - prev.cpu,
          rocksCpuS: now.rocks - prev.rocks,
          rss: rssBytes(pid),
        });
      }
      prev = now;
    }
    const outcome = await running;
    clearInterval(sampler);
    const runs = snapshotRuns(agent.proc.logFile, t0);
    const completed = runs.filter((r) => r.index !== undefined);
    const during = (s: Slice) => snapshotDuring(runs, s.startMs, s.endMs);

    printTable(
      'Slices of 3 s (✓: a raft snapshot ran during the slice)',
      ['s', 'PUT/s', 'server CPU µs/PUT', 'RocksDB threads µs/PUT', 'RSS MiB', 'snapshot'],
      slices.map((s, i) => {
        const secs = (s.endMs - s.startMs) / 1000;
        return [
          fmt((s.startMs - slices[0]!.startMs) / 1000),
          fmt(s.puts / secs),
          fmt((s.cpuS * 1e6) / s.puts),
          fmt((s.rocksCpuS * 1e6) / s.puts),
          fmt(s.rss / MiB),
          [during(s) ? '✓' : '', i === 0 ? '(warm-up)' : ''].join(' ').trim(),
        ];
      }),
    );

    // The first slice is warm-up (the server's PUT path is still being compiled): shown, not summarised.
    const measuredSlices = slices.slice(1);
    const quiet = measuredSlices.filter((s) => !during(s));
    const busy = measuredSlices.filter(during);
    const rate = (xs: readonly Slice[]) => summarize(xs.map((s) => (s.puts * 1000) / (s.endMs - s.startMs))).p50;
    const cpuPer = (xs: readonly Slice[]) => summarize(xs.map((s) => (s.cpuS * 1e6) / s.puts)).p50;
    // CPU the snapshots added: what the busy slices spent beyond the quiet slices' cost per PUT.
    const extraCpu = busy.reduce((sum, s) => sum + s.cpuS - (cpuPer(quiet) * s.puts) / 1e6, 0);
    const took = completed.map((r) => (r.endMs - r.startMs) / 1000);
    printTable(
      'Summary',
      ['figure', 'value', 'target', ''],
      [
        ['PUTs answered (wrk)', `${fmt(outcome.ok)} ok, ${fmt(outcome.non2xx)} non-2xx, ${fmt(outcome.errors)} errors`, '', ''],
        ['raft snapshots completed in the run', `${completed.length}, ${took.map((t) => fmt(t, 1)).join(' / ')} s each`, '', ''],
        ['PUT/s, median slice without a snapshot', fmt(rate(quiet)), '', ''],
        ['PUT/s, median slice with a snapshot', fmt(rate(busy)), '', ''],
        ['with ÷ without', fmt(rate(busy) / rate(quiet), 2), '', ''],
        ['server CPU µs/PUT without / with a snapshot', `${fmt(cpuPer(quiet))} / ${fmt(cpuPer(busy))}`, '', ''],
        ['extra server CPU per snapshot', `${fmt(completed.length ? extraCpu / completed.length : NaN, 2)} s`, '', ''],
        [
          'peak RSS (sampled every 100 ms)',
          `${fmt(peakRss / MiB)} MiB`,
          '< 1,024 MiB (at 1M keys)',
          KEYS < 1_000_000 ? '—' : peakRss < GiB ? 'met' : 'MISSED',
        ],
      ],
    );
  } finally {
    if (agent) await stopAgents([agent]);
    benchCleanup();
  }
}

await main();
