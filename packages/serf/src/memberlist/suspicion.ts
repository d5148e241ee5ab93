import type { Scheduler, TimerHandle } from './scheduler.js';

/**
 * Lifeguard's dynamic suspicion timeout: it starts at `max` and shrinks towards `min` as
 * independent members confirm the suspicion (log-scaled in the number of confirmations,
 * reaching `min` at `k` confirmations). A suspect that is merely slow gets the long
 * timeout to refute; one that many peers see down is declared dead quickly.
 */
export class Suspicion {
  private readonly confirmations = new Set<string>();
  private readonly start: number;
  private timer: TimerHandle;
  private fired = false;

  constructor(
    from: string,
    private readonly k: number,
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly scheduler: Scheduler,
    private readonly onTimeout: (confirmations: number) => void,
  ) {
    // The accuser is not an independent confirmation of its own accusation.
    this.confirmations.add(from);
    this.start = scheduler.now();
    this.timer = scheduler.setTimeout(() => this.fire(), k < 1 ? minMs : maxMs);
  }

  /** Records a confirmation; true when it was new (and so worth re-gossiping). */
  confirm(from: string): boolean {
    if (this.fired || this.confirmations.size - 1 >= this.k || this.confirmations.has(from)) return false;
    this.confirmations.add(from);
    const elapsed = this.scheduler.now() - this.start;
    const remaining = remainingSuspicionTime(this.confirmations.size - 1, this.k, elapsed, this.minMs, this.maxMs);
    this.timer.cancel();
    if (remaining > 0) this.timer = this.scheduler.setTimeout(() => this.fire(), remaining);
    else this.fire();
    return true;
  }

  cancel(): void {
    this.fired = true;
    this.timer.cancel();
  }

  /**
   * Declares the timeout one turn late, after pending input: a refutation that arrived
   * while the process was stalled is then handled (and cancels us) before we accuse.
   */
  private fire(): void {
    if (this.fired) return;
    this.timer = this.scheduler.setTimeout(() => {
      if (this.fired) return;
      this.fired = true;
      this.onTimeout(this.confirmations.size - 1);
    }, 0);
  }
}

export function remainingSuspicionTime(n: number, k: number, elapsed: number, min: number, max: number): number {
  const frac = Math.log(n + 1) / Math.log(k + 1);
  const raw = max - frac * (max - min);
  return Math.max(Math.floor(raw), min) - elapsed;
}

/** Base (minimum) suspicion timeout: mult × max(1, log10(n)) × probe interval. */
export function suspicionTimeout(mult: number, n: number, intervalMs: number): number {
  const nodeScale = Math.max(1, Math.log10(Math.max(1, n)));
  return Math.floor(mult * nodeScale * intervalMs);
}

/** How many times a broadcast is sent: mult × ceil(log10(n + 1)). */
export function retransmitLimit(mult: number, n: number): number {
  return mult * Math.ceil(Math.log10(n + 1));
}

/** Push-pull slows down past 32 members so full-state syncs stay a bounded share of traffic. */
export function pushPullScale(intervalMs: number, n: number): number {
  const threshold = 32;
  if (n <= threshold) return intervalMs;
  return (Math.ceil(Math.log2(n) - Math.log2(threshold)) + 1) * intervalMs;
}
