/**
 * Time source and timer scheduler for the raft core. Everything time-dependent in the
 * core goes through this, so the same code runs in real time ({@link RealClock}) and in
 * virtual time (sim/virtual-scheduler.ts). Callbacks run on the JS thread, one at a time.
 */
export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Run `fn` once after `ms` (0: after the current I/O phase); returns a cancel function (idempotent). */
  setTimer(ms: number, fn: () => void): () => void;
}

/** Wall-clock implementation: performance.now() is monotonic, unlike Date.now(). */
export class RealClock implements Clock {
  now(): number {
    return performance.now();
  }
  setTimer(ms: number, fn: () => void): () => void {
    if (ms <= 0) {
      // "As soon as the current I/O has been handled": everything that arrived in this
      // poll phase (say, 64 HTTP PUTs) is then batched into one append per peer.
      const im = setImmediate(fn);
      im.unref();
      return () => clearImmediate(im);
    }
    const t = setTimeout(fn, ms);
    // A pending raft timer must not keep a stopping process alive.
    t.unref();
    return () => clearTimeout(t);
  }
}

/** Source of randomness for election jitter; injectable so simulations are replayable. */
export type Random = () => number;
