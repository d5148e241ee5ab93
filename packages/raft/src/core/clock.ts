/**
 * Time source and timer scheduler for the raft core. Everything time-dependent in the
 * core goes through this, so the same code runs in real time ({@link RealClock}) and in
 * virtual time (sim/virtual-scheduler.ts). Callbacks run on the JS thread, one at a time.
 */
export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Run `fn` once after `ms`; returns a cancel function (idempotent). */
  setTimer(ms: number, fn: () => void): () => void;
}

/** Wall-clock implementation: performance.now() is monotonic, unlike Date.now(). */
export class RealClock implements Clock {
  now(): number {
    return performance.now();
  }
  setTimer(ms: number, fn: () => void): () => void {
    const t = setTimeout(fn, Math.max(0, ms));
    // A pending raft timer must not keep a stopping process alive.
    t.unref();
    return () => clearTimeout(t);
  }
}

/** Source of randomness for election jitter; injectable so simulations are replayable. */
export type Random = () => number;
