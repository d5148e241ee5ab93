import { Prng } from '@proconsul/serf';

export interface StarveOptions {
  readonly stallMinMs: number;
  readonly stallMaxMs: number;
  /** How long the processes run between stalls. */
  readonly runMs: number;
  readonly durationMs: number;
  readonly seed: number;
}

export interface StarveResult {
  readonly stalls: number;
  /** Share of the wall time the processes were frozen, in [0, 1]. */
  readonly stoppedShare: number;
  readonly longestStallMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function signal(pids: readonly number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone: nothing to starve or resume
    }
  }
}

/**
 * Starves processes of CPU the way an overloaded host starves one tenant: SIGSTOP for a
 * random stall, SIGCONT for a short run, over and over (what `cpulimit` does, with
 * longer gaps). Every pid gets the same seeded schedule at the same moments, so two
 * implementations run side by side see identical starvation. Always resumes them at the
 * end, also when interrupted by an exception in the caller (see `stop`).
 */
export function starve(pids: readonly number[], o: StarveOptions): { done: Promise<StarveResult>; stop(): void } {
  const rng = new Prng(o.seed);
  let stopped = false;
  const done = (async () => {
    const start = performance.now();
    let stalls = 0;
    let frozen = 0;
    let longest = 0;
    try {
      while (!stopped && performance.now() - start < o.durationMs) {
        const stallMs = o.stallMinMs + rng.next() * (o.stallMaxMs - o.stallMinMs);
        const t = performance.now();
        signal(pids, 'SIGSTOP');
        await sleep(stallMs);
        signal(pids, 'SIGCONT');
        const took = performance.now() - t;
        frozen += took;
        longest = Math.max(longest, took);
        stalls++;
        await sleep(o.runMs);
      }
    } finally {
      signal(pids, 'SIGCONT');
    }
    return { stalls, stoppedShare: frozen / (performance.now() - start), longestStallMs: longest };
  })();
  return {
    done,
    stop: () => {
      stopped = true;
      signal(pids, 'SIGCONT');
    },
  };
}
