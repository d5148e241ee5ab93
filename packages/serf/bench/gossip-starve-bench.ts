/**
 * False positives under CPU starvation, side by side with HashiCorp serf:
 * `npm run bench:gossip-starve [-- --seconds=600 --stall=1000-3000 --run-ms=100]`.
 * Ten proconsul agents (127.0.74.1-10) and ten Debian `serf agent`s (127.0.74.101-110),
 * default LAN profiles, run at the same time. Member 5 of each is starved with one shared
 * seeded schedule: frozen (SIGSTOP) for a random stall, then runs for --run-ms, for
 * --seconds. Nothing crashes, so every "member failed" any agent logs is a false positive.
 * Counted from the agents' own logs, which catch failed-then-refuted flaps that polling
 * would miss; a final membership check shows whether everyone converged back.
 */
import { readFileSync } from 'node:fs';
import { benchCleanup, benchEnvironment, ensurePeer, fmt, printTable, stopAgents } from '@proconsul/kernel/testing';
import { starve, type StarveResult } from './cpu-starver.js';
import type { GossipCluster } from './gossip-scenario.js';
import { startProconsulGossip } from './proconsul-gossip.js';
import { startSerfGossip, stopSerf } from './serf-gossip.js';

const N = 10;
const STARVED = 4;
const SEED = 20261202;

function arg(name: string, dflt: string): string {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : dflt;
}

const seconds = Number(arg('seconds', '600'));
const [stallMin, stallMax] = arg('stall', '1000-3000').split('-').map(Number) as [number, number];
const runMs = Number(arg('run-ms', '100'));
if (!(seconds > 0) || !(stallMin > 0) || !(stallMax >= stallMin) || !(runMs > 0)) {
  console.error('usage: gossip-starve-bench --seconds=N --stall=MIN-MAX --run-ms=N (all positive, MIN <= MAX)');
  process.exit(2);
}

interface Side {
  readonly label: string;
  readonly cluster: GossipCluster;
  readonly logs: readonly string[];
  /** How a "member failed" log line names the member; group 1 is the member's name. */
  readonly failedLine: RegExp;
  stop(): Promise<void>;
}

async function converge(c: GossipCluster, capMs: number): Promise<boolean> {
  const end = performance.now() + capMs;
  while (performance.now() < end) {
    const views = await Promise.all(c.names.map((_, i) => c.members(i).catch(() => new Map<string, string>())));
    if (views.every((m) => c.names.every((n) => m.get(n) === 'alive'))) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

function countFailures(side: Side): { starved: number; healthy: number } {
  const starvedName = side.cluster.names[STARVED]!;
  let starved = 0;
  let healthy = 0;
  for (const f of side.logs) {
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      const m = side.failedLine.exec(line);
      if (!m) continue;
      if (m[1] === starvedName) starved++;
      else healthy++;
    }
  }
  return { starved, healthy };
}

async function ours(): Promise<Side> {
  const ips = Array.from({ length: N }, (_, i) => `127.0.74.${i + 1}`);
  const { cluster, agents } = await startProconsulGossip(ips, 'info');
  return {
    label: 'proconsul',
    cluster,
    logs: agents.map((a) => a.proc.logFile),
    failedLine: /member failed, marking health critical: member=(\S+) pool=lan/,
    stop: () => stopAgents(agents, 5000),
  };
}

async function serf(): Promise<Side | string> {
  const why = ensurePeer('ensure-serf.sh');
  if (why) return why;
  const ips = Array.from({ length: N }, (_, i) => `127.0.74.${101 + i}`);
  const { cluster, procs } = await startSerfGossip(ips, 'info');
  return {
    label: 'serf',
    cluster,
    logs: procs.map((p) => p.logFile),
    failedLine: /EventMemberFailed: (\S+)/,
    stop: () => stopSerf(procs),
  };
}

async function main(): Promise<void> {
  console.log(benchEnvironment());
  const sides: Side[] = [];
  let starver: ReturnType<typeof starve> | undefined;
  try {
    sides.push(await ours());
    const peer = await serf();
    if (typeof peer === 'string') console.log(`\npeer not available: ${peer}`);
    else sides.push(peer);
    for (const s of sides) {
      await s.cluster.joinAll();
      if (!(await converge(s.cluster, 60_000))) throw new Error(`${s.label}: members did not converge before starving`);
    }
    const pids = sides.map((s) => s.cluster.pids[STARVED]!);
    console.log(
      `\nstarving member ${STARVED + 1} of each side for ${seconds} s (stalls ${stallMin}-${stallMax} ms, runs ${runMs} ms)`,
    );
    starver = starve(pids, { stallMinMs: stallMin, stallMaxMs: stallMax, runMs, durationMs: seconds * 1000, seed: SEED });
    const st: StarveResult = await starver.done;
    const healed = await Promise.all(sides.map((s) => converge(s.cluster, 30_000)));
    const counts = sides.map(countFailures);
    const cell = (i: number, f: (k: number) => string) => (sides[i] ? f(i) : '–');
    printTable(
      `Gossip under CPU starvation: ${N} members, member ${STARVED + 1} frozen ${fmt(st.stoppedShare * 100, 1)}% of ${seconds} s in ${st.stalls} stalls (${stallMin}-${stallMax} ms, longest ${fmt(st.longestStallMs)} ms). Every "failed" is false`,
      [' figure', 'proconsul', 'serf'],
      [
        [
          '"member failed" about the starved member (all observers)',
          ...[0, 1].map((i) => cell(i, (k) => fmt(counts[k]!.starved))),
        ],
        ['"member failed" about healthy members', ...[0, 1].map((i) => cell(i, (k) => fmt(counts[k]!.healthy)))],
        [
          'all members alive everywhere 30 s after the starvation',
          ...[0, 1].map((i) => cell(i, (k) => (healed[k] ? 'yes' : 'NO'))),
        ],
      ],
    );
  } finally {
    starver?.stop();
    for (const s of sides) await s.stop().catch(() => undefined);
    benchCleanup();
  }
}

await main();
