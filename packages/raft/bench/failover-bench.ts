/**
 * Leader failover under write load: `npm run bench:failover`.
 * For Consul's default timing (performance.raft_multiplier = 5) and its production tuning
 * (raft_multiplier = 1): 3 server agents (RocksDB) on 127.0.75.x, WRITERS closed-loop
 * clients writing KV through the two followers, then kill -9 of the leader. Printed per
 * setting: time from the kill to the first successful write, to a leader known again, the
 * requests that failed (non-200 or transport error) after the kill, and the longest gap
 * between two successful writes that any one client saw.
 * Consul documents, at raft_multiplier 1, a 1 s heartbeat timeout and a 1 s election
 * timeout (both × the multiplier), so a leader loss is noticed after 1–2 s × multiplier and
 * an election takes about as long again; that is the comparison row.
 * Bounded: each phase has a deadline; processes and temp dirs go at exit.
 */
import {
  benchCleanup,
  benchEnvironment,
  fmt,
  httpRequest,
  printTable,
  startServerCluster,
  stopAgents,
  waitFor,
  waitForLeader,
  type RunningAgent,
} from '@proconsul/kernel/testing';

const IPS = ['127.0.75.1', '127.0.75.2', '127.0.75.3'];
const WRITERS = 8;
/** Steady load before the kill, and the most a run waits after it. */
const WARMUP_MS = 3_000;
const AFTER_KILL_MAX_MS = 40_000;
/** Load keeps running this long after the first success, to count late failures. */
const TAIL_MS = 3_000;
const REQUEST_TIMEOUT_MS = 20_000;

interface Outcome {
  readonly writer: number;
  readonly start: number;
  readonly end: number;
  readonly ok: boolean;
}

interface Figures {
  multiplier: number;
  firstWriteMs: number;
  leaderKnownMs: number;
  failed: number;
  succeededAfter: number;
  longestPauseMs: number;
}

async function writer(id: number, via: RunningAgent, stop: () => boolean, out: Outcome[]): Promise<void> {
  let seq = 0;
  while (!stop()) {
    const start = performance.now();
    let ok = false;
    try {
      const r = await httpRequest(`${via.httpUrl}/v1/kv/failover/${id}/${seq++ % 100}`, {
        method: 'PUT',
        body: 'x'.repeat(100),
        timeoutMs: REQUEST_TIMEOUT_MS,
      });
      ok = r.status === 200 && r.body.trim() === 'true';
    } catch {
      ok = false;
    }
    out.push({ writer: id, start, end: performance.now(), ok });
    // A failing client retries as a real one would, not in a busy loop.
    if (!ok) await new Promise((r) => setTimeout(r, 50));
  }
}

async function leaderAddr(a: RunningAgent): Promise<string> {
  try {
    const r = await httpRequest(`${a.httpUrl}/v1/status/leader`, { timeoutMs: 1000 });
    return r.status === 200 ? (JSON.parse(r.body) as string) : '';
  } catch {
    return '';
  }
}

async function run(multiplier: number): Promise<Figures> {
  const { agents } = await startServerCluster(`failover-m${multiplier}`, IPS, { raftMultiplier: multiplier });
  try {
    const leader = await waitForLeader(agents);
    const followers = agents.filter((a) => a !== leader);
    const outcomes: Outcome[] = [];
    let stopped = false;
    const load = Array.from({ length: WRITERS }, (_, i) => writer(i, followers[i % followers.length]!, () => stopped, outcomes));
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const killAt = performance.now();
    leader.proc.child.kill('SIGKILL');
    const leaderKnown = waitFor(
      'a new leader',
      async () => {
        const l = await leaderAddr(followers[0]!);
        return l && l !== leader.serverAddr ? performance.now() : undefined;
      },
      AFTER_KILL_MAX_MS,
      50,
    );
    const firstOk = await waitFor(
      'a successful write after the kill',
      async () => outcomes.find((o) => o.ok && o.start > killAt)?.end,
      AFTER_KILL_MAX_MS,
      20,
    );
    await new Promise((r) => setTimeout(r, TAIL_MS));
    stopped = true;
    await Promise.all(load);
    const after = outcomes.filter((o) => o.end > killAt);
    let longestPause = 0;
    for (let w = 0; w < WRITERS; w++) {
      const oks = outcomes.filter((o) => o.writer === w && o.ok).map((o) => o.end);
      for (let i = 1; i < oks.length; i++) longestPause = Math.max(longestPause, oks[i]! - oks[i - 1]!);
    }
    return {
      multiplier,
      firstWriteMs: firstOk - killAt,
      leaderKnownMs: (await leaderKnown) - killAt,
      failed: after.filter((o) => !o.ok).length,
      succeededAfter: after.filter((o) => o.ok).length,
      longestPauseMs: longestPause,
    };
  } finally {
    await stopAgents(agents.filter((a) => !a.proc.exited()));
  }
}

async function main(): Promise<void> {
  console.log(benchEnvironment());
  const rows: string[][] = [];
  for (const multiplier of [5, 1]) {
    console.log(`raft_multiplier ${multiplier}: 3 servers, ${WRITERS} writers through the followers, kill -9 of the leader`);
    const f = await run(multiplier);
    rows.push([
      String(f.multiplier),
      fmt(f.leaderKnownMs),
      fmt(f.firstWriteMs),
      String(f.failed),
      String(f.succeededAfter),
      fmt(f.longestPauseMs),
      `${fmt(1000 * f.multiplier)}–${fmt(2000 * f.multiplier)} + election`,
    ]);
  }
  printTable(
    'Leader failover under write load (ms)',
    [
      'raft_multiplier',
      'new leader known',
      'first write ok',
      'failed requests',
      'ok requests after kill',
      'longest client pause',
      "Consul's detection (docs)",
    ],
    rows,
  );
}

main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => benchCleanup());
