/**
 * Time source for check scheduling, TTL expiry and the reaper. Injected so tests can drive
 * time deterministically (VirtualClock) instead of sleeping.
 */
export interface Timer {
  /** Idempotent; a cancelled timer never fires. */
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch (or any fixed origin for virtual clocks). */
  now(): number;
  /** Call `fn` once after `ms`. Timers never keep the process alive on their own. */
  setTimer(fn: () => void, ms: number): Timer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    // unref: a check schedule must not be what keeps an agent (or a test run) alive.
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
};
