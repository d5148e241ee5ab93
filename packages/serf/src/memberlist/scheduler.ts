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
  /**
   * Runs `fn` after `ms`. With ms <= 0 it runs after input that is already waiting has
   * been handled (the next poll phase of a Node event loop), which is how callers yield
   * to the network before acting on an expired deadline.
   */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Uniform in [0, 1). Seeded in simulation so runs replay exactly. */
  random(): number;
}

export class RealScheduler implements Scheduler {
  now(): number {
    return performance.now();
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    // Gossip timers must never keep a process alive on their own.
    if (ms <= 0) {
      // setImmediate runs in the check phase, right after this iteration's poll phase.
      const i = setImmediate(fn);
      i.unref();
      return { cancel: () => clearImmediate(i) };
    }
    const t = setTimeout(fn, ms);
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

/**
 * Resolves when `p` settles or after `ms`, whichever first; the timer never outlives it.
 * An expired deadline still yields once to pending input: after a stall (GC, a starved
 * CPU) Node runs overdue timers before it reads the sockets, so the answer we waited for
 * may already be sitting in the receive buffer.
 */
export async function waitAtMost(s: Scheduler, p: Promise<unknown>, ms: number): Promise<void> {
  const z = sleep(s, ms);
  await Promise.race([p.then(z.cancel, z.cancel), z.promise]);
  await afterPendingInput(s);
}

/** Resolves once input that is already waiting has been handled (see Scheduler.setTimeout). */
export function afterPendingInput(s: Scheduler): Promise<void> {
  return new Promise((r) => s.setTimeout(r, 0));
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
