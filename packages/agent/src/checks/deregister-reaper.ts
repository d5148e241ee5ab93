import { systemClock, type CheckStatus, type Clock, type Timer } from '@proconsul/kernel';

/** Consul's CheckReapInterval: how often critical services are looked at. */
export const REAP_INTERVAL_MS = 30_000;

interface Tracked {
  readonly serviceId: string;
  readonly afterMs: number;
  /** Clock time the check became critical; undefined while not critical. */
  criticalSince: number | undefined;
}

/**
 * deregister_critical_service_after: every REAP_INTERVAL_MS, a service with a check that has
 * been critical for longer than that check's limit is deregistered through the callback.
 * The callback runs on the event loop and should not throw; if it does, the check stays
 * tracked and is tried again next round (the callback owns logging its failure).
 */
export class DeregisterReaper {
  private readonly tracked = new Map<string, Tracked>();
  private timer: Timer | undefined;

  constructor(
    private readonly deregister: (serviceId: string, checkId: string) => void,
    private readonly clock: Clock = systemClock,
    private readonly intervalMs = REAP_INTERVAL_MS,
  ) {}

  /** Start watching a check; `status` is its current status (a new critical check starts its clock now). */
  track(checkId: string, serviceId: string, afterMs: number, status: CheckStatus): void {
    const prev = this.tracked.get(checkId);
    const since = status === 'critical' ? (prev?.criticalSince ?? this.clock.now()) : undefined;
    this.tracked.set(checkId, { serviceId, afterMs, criticalSince: since });
    this.schedule();
  }

  untrack(checkId: string): void {
    this.tracked.delete(checkId);
    if (this.tracked.size === 0) this.stop();
  }

  /** Record a status change of a tracked check (ignored for others). */
  noteStatus(checkId: string, status: CheckStatus): void {
    const t = this.tracked.get(checkId);
    if (!t) return;
    if (status === 'critical') t.criticalSince ??= this.clock.now();
    else t.criticalSince = undefined;
  }

  /** One reaping pass; exposed for tests and for an agent that wants to reap on demand. */
  reap(): void {
    const now = this.clock.now();
    const reaped = new Set<string>();
    for (const [checkId, t] of [...this.tracked]) {
      if (t.criticalSince === undefined || now - t.criticalSince <= t.afterMs) continue;
      if (reaped.has(t.serviceId)) continue;
      reaped.add(t.serviceId);
      try {
        this.deregister(t.serviceId, checkId);
      } catch {
        // Stays tracked: tried again next round. The callback owns reporting its failure.
      }
    }
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = this.clock.setTimer(() => {
      this.timer = undefined;
      try {
        this.reap();
      } finally {
        if (this.tracked.size > 0) this.schedule();
      }
    }, this.intervalMs);
  }
}
