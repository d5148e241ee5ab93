import type { Clock } from '../core/clock.js';

interface Event {
  readonly time: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/**
 * Virtual time for deterministic simulation: a priority queue of callbacks ordered by
 * (time, insertion seq). `step()` runs one event and then lets every promise continuation
 * it caused run (a macrotask turn drains the microtask queue), so async code in the raft
 * core behaves as in production but in a replayable order.
 */
export class VirtualScheduler {
  private heap: Event[] = [];
  private seq = 0;
  private time = 0;
  eventsRun = 0;

  now(): number {
    return this.time;
  }

  at(delayMs: number, fn: () => void): () => void {
    const ev: Event = { time: this.time + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false };
    this.push(ev);
    return () => {
      ev.cancelled = true;
    };
  }

  /** A Clock for one server; `alive()` false turns its pending timers into no-ops (crash). */
  clock(alive: () => boolean = () => true): Clock {
    return {
      now: () => this.time,
      setTimer: (ms, fn) => this.at(ms, () => alive() && fn()),
    };
  }

  pending(): number {
    return this.heap.length;
  }

  nextTime(): number | undefined {
    return this.heap[0]?.time;
  }

  /** Run the next event (if its time is <= `until`). False when none ran. */
  async step(until = Infinity): Promise<boolean> {
    let drained = false;
    for (;;) {
      const top = this.heap[0];
      if (!top || top.time > until) {
        // Before declaring "nothing to do", let pending promise chains run: they may
        // schedule an event (e.g. a restarting server issuing its first disk write).
        if (drained) return false;
        drained = true;
        await new Promise<void>((r) => setImmediate(r));
        continue;
      }
      this.pop();
      if (top.cancelled) continue;
      this.time = top.time;
      this.eventsRun++;
      top.fn();
      await new Promise<void>((r) => setImmediate(r));
      return true;
    }
  }

  /** Advance to `until`, running everything due. */
  async runUntil(until: number, afterEach?: () => void): Promise<void> {
    while (await this.step(until)) afterEach?.();
    this.time = Math.max(this.time, until);
  }

  private push(ev: Event): void {
    const h = this.heap;
    h.push(ev);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (less(h[p]!, ev)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = ev;
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && less(h[r]!, h[l]!) ? r : l;
      if (less(last, h[c]!)) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
  }
}

function less(a: Event, b: Event): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
