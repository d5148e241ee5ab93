import { cpuPercentOver, rssBytes, waitFor } from '@proconsul/kernel/testing';

/** What the scenario needs from a 10-member gossip cluster, ours or serf's. Member 0 is the seed. */
export interface GossipCluster {
  readonly names: readonly string[];
  readonly pids: readonly number[];
  /** Make members 1..n-1 join member 0, all at once; resolves when every join call returned. */
  joinAll(): Promise<void>;
  /** Member name -> 'alive' | 'failed' | 'left' | other, as member `i` sees them. */
  members(i: number): Promise<Map<string, string>>;
  /**
   * Arm receipt tracking on `receivers`, then fire one user event from member 0. Resolves
   * with each receiver's delay in ms from just before the fire request (undefined = not
   * received within `capMs`), or with a reason string when events cannot be measured.
   */
  fireAndTrack(receivers: readonly number[], capMs: number): Promise<(number | undefined)[] | string>;
  kill9(i: number): void;
}

export interface KillTrial {
  readonly victim: string;
  readonly firstMs: number | undefined;
  /** undefined unless every survivor marked the victim failed within the cap. */
  readonly allMs: number | undefined;
  readonly seenBy: number;
  readonly survivors: number;
}

export interface GossipResult {
  convergeMs: number;
  idleCpuPercent: number[];
  rssMiB: number[];
  /** One row of receiver delays per event fired, or why events could not be measured. */
  events: (number | undefined)[][] | string;
  kills: KillTrial[];
}

const POLL_MS = 200; // the same poll period on both sides, so detection times are comparable
const CONVERGE_CAP_MS = 60_000;
const FAIL_CAP_MS = 90_000;
const EVENT_CAP_MS = 20_000;
const IDLE_MS = 10_000;
/** Single runs of a randomized protocol are noise; these counts keep the whole run near 2 minutes. */
const EVENT_TRIALS = 5;
const KILL_TRIALS = 3;

async function allSee(
  c: GossipCluster,
  observers: readonly number[],
  pred: (m: Map<string, string>) => boolean,
): Promise<boolean[]> {
  return Promise.all(observers.map((i) => c.members(i).then(pred, () => false)));
}

/** kill -9 member `victim`, then time until each of `survivors` marks it failed. */
async function killTrial(c: GossipCluster, victim: number, survivors: readonly number[]): Promise<KillTrial> {
  const victimName = c.names[victim]!;
  const seenAt: (number | undefined)[] = survivors.map(() => undefined);
  const t1 = performance.now();
  c.kill9(victim);
  await waitFor(
    `every survivor to mark ${victimName} failed`,
    async () => {
      const now = performance.now() - t1;
      const ok = await allSee(c, survivors, (m) => m.get(victimName) === 'failed');
      ok.forEach((seen, i) => {
        if (seen && seenAt[i] === undefined) seenAt[i] = now;
      });
      return seenAt.every((s) => s !== undefined) ? true : undefined;
    },
    FAIL_CAP_MS,
    POLL_MS,
  ).catch(() => undefined);
  const seen = seenAt.filter((s): s is number => s !== undefined);
  return {
    victim: victimName,
    firstMs: seen.length ? Math.min(...seen) : undefined,
    allMs: seen.length === survivors.length ? Math.max(...seen) : undefined,
    seenBy: seen.length,
    survivors: survivors.length,
  };
}

/**
 * join -> all see all alive -> idle CPU/RSS -> EVENT_TRIALS user events from member 0 to
 * the others -> KILL_TRIALS times: kill -9 the last live member and time until each
 * survivor marks it failed. Each step is capped.
 */
export async function runGossipScenario(c: GossipCluster): Promise<GossipResult> {
  const all = c.names.map((_, i) => i);
  const t0 = performance.now();
  await c.joinAll();
  await waitFor(
    'every member to see every member alive',
    async () => {
      const ok = await allSee(c, all, (m) => c.names.every((n) => m.get(n) === 'alive'));
      return ok.every(Boolean) ? true : undefined;
    },
    CONVERGE_CAP_MS,
    POLL_MS,
  );
  const convergeMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 2000));
  const idleCpuPercent = await cpuPercentOver(c.pids, IDLE_MS);
  const rssMiB = c.pids.map((p) => rssBytes(p) / 1024 / 1024);
  let events: GossipResult['events'] = [];
  for (let k = 0; k < EVENT_TRIALS; k++) {
    const r = await c.fireAndTrack(all.slice(1), EVENT_CAP_MS);
    if (typeof r === 'string') {
      events = r;
      break;
    }
    events.push(r);
    await new Promise((r) => setTimeout(r, 500));
  }
  const kills: KillTrial[] = [];
  for (let k = 0; k < KILL_TRIALS; k++) {
    const victim = all.length - 1 - k;
    kills.push(await killTrial(c, victim, all.slice(0, victim)));
  }
  return { convergeMs, idleCpuPercent, rssMiB, events, kills };
}
