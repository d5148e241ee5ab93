/**
 * Time and randomness as an injected dependency, so the same protocol code runs on the
 * real clock (agents) and on a virtual, seeded clock (deterministic simulation).
 * Callbacks run on the event loop; they must not block.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Scheduler {
  /** Milliseconds on a monotonic clock; only differences are meaningful. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Uniform in [0, 1). Seeded in simulation so runs replay exactly. */
  random(): number;
}

export class RealScheduler implements Scheduler {
  now(): number {
    return performance.now();
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const t = setTimeout(fn, Math.max(0, ms));
    // Gossip timers must never keep a process alive on their own.
    t.unref();
    return { cancel: () => clearTimeout(t) };
  }
  random(): number {
    return Math.random();
  }
}

/** A promise resolved after `ms` on the scheduler's clock; cancel() resolves it early. */
export function sleep(s: Scheduler, ms: number): { promise: Promise<void>; cancel(): void } {
  let done!: () => void;
  const promise = new Promise<void>((r) => (done = r));
  const h = s.setTimeout(() => done(), ms);
  return {
    promise,
    cancel: () => {
      h.cancel();
      done();
    },
  };
}

/** Resolves when `p` settles or after `ms`, whichever first; the timer never outlives it. */
export async function waitAtMost(s: Scheduler, p: Promise<unknown>, ms: number): Promise<void> {
  const z = sleep(s, ms);
  await Promise.race([p.then(z.cancel, z.cancel), z.promise]);
}

/** Fisher-Yates with the scheduler's randomness (replayable in simulation). */
export function shuffle<T>(s: Scheduler, xs: T[]): void {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(s.random() * (i + 1));
    const tmp = xs[i]!;
    xs[i] = xs[j]!;
    xs[j] = tmp;
  }
}
