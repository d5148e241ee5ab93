import type { Scheduler, TimerHandle } from '../memberlist/scheduler.js';
import { Prng } from './prng.js';

interface Entry {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * Virtual clock for deterministic simulation. Timers fire in (time, creation order);
 * before the clock advances, pending promise continuations are drained so async code
 * (awaits on transport requests) finishes at the virtual instant it was woken.
 * Same seed and same calls give the same run.
 */
export class SimScheduler implements Scheduler {
  private t = 0;
  private seq = 0;
  private readonly heap: Entry[] = [];
  readonly rng: Prng;

  constructor(seed: number) {
    this.rng = new Prng(seed);
  }

  now(): number {
    return this.t;
  }

  random(): number {
    return this.rng.next();
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const e: Entry = { at: this.t + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.push(e);
    return { cancel: () => (e.cancelled = true) };
  }

  /** Advances virtual time by `ms`, running everything due. */
  async runFor(ms: number): Promise<void> {
    await this.runUntil(this.t + ms);
  }

  async runUntil(end: number): Promise<void> {
    await drain();
    while (this.heap.length > 0 && this.heap[0]!.at <= end) {
      const e = this.pop();
      if (e.cancelled) continue;
      if (e.at > this.t) {
        await drain();
        this.t = e.at;
      }
      e.fn();
    }
    await drain();
    this.t = Math.max(this.t, end);
  }

  /** Runs until `cond` holds (checked every `stepMs`) or `maxMs` elapsed; true if it held. */
  async runUntilTrue(cond: () => boolean, maxMs: number, stepMs = 100): Promise<boolean> {
    const end = this.t + maxMs;
    while (this.t < end) {
      if (cond()) return true;
      await this.runFor(Math.min(stepMs, end - this.t));
    }
    return cond();
  }

  /** Runs virtual time (in `stepMs` steps, at most `maxMs`) until `p` settles; returns its value. */
  async settle<T>(p: Promise<T>, maxMs = 120_000, stepMs = 10): Promise<T> {
    let done = false;
    const watched = p.finally(() => (done = true));
    watched.catch(() => {});
    const end = this.t + maxMs;
    while (!done && this.t < end) await this.runFor(stepMs);
    if (!done) throw new Error(`simulation: promise still pending after ${maxMs}ms of virtual time`);
    return watched;
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (less(h[p]!, e)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = e;
  }

  private pop(): Entry {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        let best = last;
        if (l < h.length && less(h[l]!, best)) {
          m = l;
          best = h[l]!;
        }
        if (r < h.length && less(h[r]!, best)) m = r;
        if (m === i) break;
        h[i] = h[m]!;
        i = m;
      }
      h[i] = last;
    }
    return top;
  }
}

function less(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

function drain(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}
