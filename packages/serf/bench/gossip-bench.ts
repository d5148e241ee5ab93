/**
 * Gossip membership side by side with HashiCorp serf: `npm run bench:gossip`.
 * Proconsul: 1 server (-bootstrap) + 9 client agents on 127.0.73.1-10, default LAN gossip
 * profile. serf: 10 Debian `serf agent`s (default LAN profile) on 127.0.73.101-110.
 * Same scenario for both (gossip-scenario.ts): 9 concurrent joins -> time until all see
 * all alive; idle CPU over 10 s and RSS per process; 5 user events -> delivery delay to the
 * other 9; 3 times kill -9 of one member -> time until the survivors mark it failed.
 * Membership is polled every 200 ms on both sides, so detection figures carry up to 200 ms
 * of polling delay either way. Every step is capped; processes and temp dirs go at exit.
 */
import {
  benchCleanup,
  benchEnvironment,
  ensurePeer,
  fmt,
  printTable,
  ratio,
  stopAgents,
  summarize,
} from '@proconsul/kernel/testing';
import { runGossipScenario, type GossipResult } from './gossip-scenario.js';
import { startProconsulGossip } from './proconsul-gossip.js';
import { startSerfGossip, stopSerf } from './serf-gossip.js';

const N = 10;
const OUR_IPS = Array.from({ length: N }, (_, i) => `127.0.73.${i + 1}`);
const SERF_IPS = Array.from({ length: N }, (_, i) => `127.0.73.${101 + i}`);

async function ours(): Promise<GossipResult> {
  const { cluster, agents } = await startProconsulGossip(OUR_IPS);
  try {
    return await runGossipScenario(cluster);
  } finally {
    await stopAgents(agents, 5000);
  }
}

async function serf(): Promise<GossipResult | string> {
  const why = ensurePeer('ensure-serf.sh');
  if (why) return why;
  const { cluster, procs } = await startSerfGossip(SERF_IPS);
  try {
    return await runGossipScenario(cluster);
  } finally {
    await stopSerf(procs);
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

function figures(r: GossipResult | undefined): Record<string, number | undefined> {
  if (!r) return {};
  const rows = typeof r.events === 'string' ? [] : r.events;
  const delivered = rows.flat().filter((d): d is number => d !== undefined);
  // Per event: the last receiver's delay, when all received it.
  const lastOf = rows.map((row) => (row.every((d) => d !== undefined) ? Math.max(...(row as number[])) : undefined));
  const complete = lastOf.filter((d): d is number => d !== undefined);
  const firsts = r.kills.map((k) => k.firstMs).filter((d): d is number => d !== undefined);
  const alls = r.kills.map((k) => k.allMs);
  return {
    'join -> all see all alive (ms)': r.convergeMs,
    'user event: median receiver, all events (ms)': delivered.length ? summarize([...delivered]).p50 : undefined,
    'user event: last receiver, mean over events (ms)':
      complete.length === rows.length && rows.length ? mean(complete) : undefined,
    'kill -9 -> first survivor marks failed, mean (ms)': firsts.length === r.kills.length ? mean(firsts) : undefined,
    'kill -9 -> all survivors mark failed, mean (ms)': alls.every((d) => d !== undefined) ? mean(alls as number[]) : undefined,
    'kill -9 -> all survivors mark failed, worst (ms)': alls.every((d) => d !== undefined)
      ? Math.max(...(alls as number[]))
      : undefined,
    'idle CPU, member 1 (% of a core)': r.idleCpuPercent[0],
    'idle CPU, other members mean (% of a core)': mean(r.idleCpuPercent.slice(1)),
    'RSS, member 1 (MiB)': r.rssMiB[0],
    'RSS, other members mean (MiB)': mean(r.rssMiB.slice(1)),
  };
}

function reportMisses(label: string, r: GossipResult): void {
  if (typeof r.events === 'string') console.log(`\n${label} user events: ${r.events}`);
  for (const k of r.kills)
    if (k.seenBy < k.survivors)
      console.log(`\n${label}: only ${k.seenBy}/${k.survivors} survivors marked ${k.victim} failed within the cap`);
}

async function main(): Promise<void> {
  console.log(benchEnvironment());
  try {
    const mine = await ours();
    const theirs = await serf();
    const peer = typeof theirs === 'string' ? undefined : theirs;
    if (!peer) console.log(`\npeer not available: ${theirs as string}`);
    reportMisses('proconsul', mine);
    if (peer) reportMisses('serf', peer);
    const a = figures(mine);
    const b = figures(peer);
    const rows = Object.keys(a).map((k) => {
      const dec = k.startsWith('idle CPU') ? 2 : k.startsWith('RSS') ? 1 : 0;
      return [k, fmt(a[k], dec), fmt(b[k], dec), ratio(a[k], b[k])];
    });
    printTable(
      `Gossip, ${N} members on loopback, default LAN profiles (proconsul: member 1 is the server, 2-10 clients; serf: 10 agents). 5 user events; 3 kills in a row (9, 8, then 7 survivors). Membership polled every 200 ms`,
      [' figure', 'proconsul', 'serf', 'ours/serf'],
      rows,
    );
  } finally {
    benchCleanup();
  }
}

await main();
