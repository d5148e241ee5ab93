import type { CheckStatus, LocalCheck, LocalService } from '@proconsul/kernel';

interface Entry<T> {
  value: T;
  /** Bumped on every local change; a sync marks an entry synced only if it is still at the revision it sent. */
  rev: number;
  inSync: boolean;
  /** Checks: until when an output-only change is kept from the catalog (check_update_interval). */
  deferUntil?: number;
}

export interface LocalStateOptions {
  /**
   * Consul's check_update_interval: a check whose status is unchanged but whose output
   * changes (timestamps, counters) is written to the catalog at most once per this long;
   * a status change is written at once. 0 writes every change.
   */
  readonly checkUpdateIntervalMs?: number;
  readonly now?: () => number;
}

/** What anti-entropy has to push: out-of-sync entries with their revisions, and deletions. */
export interface PendingSync {
  readonly nodeInSync: boolean;
  readonly services: readonly { id: string; rev: number; value: LocalService }[];
  readonly checks: readonly { id: string; rev: number; value: LocalCheck }[];
  readonly deletedServices: readonly string[];
  readonly deletedChecks: readonly string[];
}

/**
 * The services and checks registered on this agent with their catalog sync status
 * (Consul's agent/local.State). Plain data on the event loop: no method blocks or awaits,
 * so readers always see a consistent picture. Listeners hear about every change; `urgent`
 * is false only for an output-only check update held back by `checkUpdateIntervalMs`,
 * which no sync round needs to carry.
 */
export class LocalState {
  private readonly deferOutputMs: number;
  private readonly now: () => number;

  private readonly svc = new Map<string, Entry<LocalService>>();
  private readonly chk = new Map<string, Entry<LocalCheck>>();
  private readonly deletedSvc = new Set<string>();
  private readonly deletedChk = new Set<string>();
  private nodeSynced = false;
  private rev = 0;
  private readonly listeners = new Set<(urgent: boolean) => void>();

  constructor(opts: LocalStateOptions = {}) {
    this.deferOutputMs = opts.checkUpdateIntervalMs ?? 0;
    this.now = opts.now ?? Date.now;
  }

  /** Increases on every change; hash-blocking readers use it to know when to look again. */
  get version(): number {
    return this.rev;
  }

  services(): LocalService[] {
    return [...this.svc.values()].map((e) => e.value);
  }
  service(id: string): LocalService | undefined {
    return this.svc.get(id)?.value;
  }
  checks(): LocalCheck[] {
    return [...this.chk.values()].map((e) => e.value);
  }
  check(id: string): LocalCheck | undefined {
    return this.chk.get(id)?.value;
  }
  checksOfService(serviceId: string): LocalCheck[] {
    return this.checks().filter((c) => c.check.ServiceID === serviceId);
  }

  setService(value: LocalService): void {
    const id = value.service.ID;
    this.svc.set(id, { value, rev: ++this.rev, inSync: false });
    this.deletedSvc.delete(id);
    this.emit(true);
  }

  /** Forget a service; its catalog entry (and the checks with it) is deregistered at the next sync. */
  removeService(id: string): boolean {
    if (!this.svc.delete(id)) return false;
    this.deletedSvc.add(id);
    this.rev++;
    this.emit(true);
    return true;
  }

  setCheck(value: LocalCheck): void {
    const id = value.check.CheckID;
    this.chk.set(id, { value, rev: ++this.rev, inSync: false });
    this.deletedChk.delete(id);
    this.emit(true);
  }

  /**
   * Forget a check. `tombstone` false when its service is being removed too: deregistering
   * the service removes its checks from the catalog with it.
   */
  removeCheck(id: string, tombstone = true): boolean {
    if (!this.chk.delete(id)) return false;
    if (tombstone) this.deletedChk.add(id);
    this.rev++;
    this.emit(true);
    return true;
  }

  /** A status/output change from the check runner. False when nothing changed or the check is unknown. */
  updateCheck(id: string, status: CheckStatus, output: string): boolean {
    const e = this.chk.get(id);
    if (!e || (e.value.check.Status === status && e.value.check.Output === output)) return false;
    const statusChanged = e.value.check.Status !== status;
    e.value = { ...e.value, check: { ...e.value.check, Status: status, Output: output } };
    e.rev = ++this.rev;
    if (!statusChanged && e.inSync && this.deferOutputMs > 0 && (e.deferUntil === undefined || this.now() < e.deferUntil)) {
      // The catalog's copy stays as it is for now: only the output moved.
      e.deferUntil ??= this.now() + this.deferOutputMs;
      this.emit(false);
      return true;
    }
    // A new status, an output held back long enough, or no interval: written at once, as Consul does.
    e.inSync = false;
    e.deferUntil = undefined;
    this.emit(true);
    return true;
  }

  /** Whether a full sync should compare this check without its output (its output change is being held back). */
  checkOutputDeferred(id: string): boolean {
    const until = this.chk.get(id)?.deferUntil;
    return until !== undefined && this.now() < until;
  }

  // ---- anti-entropy bookkeeping ----

  pending(): PendingSync {
    const outOf = <T>(m: Map<string, Entry<T>>) =>
      [...m].filter(([, e]) => !e.inSync).map(([id, e]) => ({ id, rev: e.rev, value: e.value }));
    return {
      nodeInSync: this.nodeSynced,
      services: outOf(this.svc),
      checks: outOf(this.chk),
      deletedServices: [...this.deletedSvc],
      deletedChecks: [...this.deletedChk],
    };
  }

  /** After a catalog read: whether the catalog's copy matches (false schedules a push). */
  setServiceInSync(id: string, inSync: boolean): void {
    const e = this.svc.get(id);
    if (e) e.inSync = inSync;
  }
  setCheckInSync(id: string, inSync: boolean): void {
    const e = this.chk.get(id);
    if (e) e.inSync = inSync;
  }
  setNodeInSync(inSync: boolean): void {
    this.nodeSynced = inSync;
  }

  /** A write of revision `rev` succeeded; a newer local change keeps the entry out of sync. */
  serviceSynced(id: string, rev: number): void {
    const e = this.svc.get(id);
    if (e && e.rev === rev) e.inSync = true;
  }
  checkSynced(id: string, rev: number): void {
    const e = this.chk.get(id);
    if (e && e.rev === rev) {
      e.inSync = true;
      e.deferUntil = undefined;
    }
  }

  /** The catalog holds something this agent does not know: delete it at the next push. */
  markServiceDeleted(id: string): void {
    if (!this.svc.has(id)) this.deletedSvc.add(id);
  }
  markCheckDeleted(id: string): void {
    if (!this.chk.has(id)) this.deletedChk.add(id);
  }
  serviceDeleted(id: string): void {
    this.deletedSvc.delete(id);
  }
  checkDeleted(id: string): void {
    this.deletedChk.delete(id);
  }

  /** Register a change listener (anti-entropy, hash-blocking queries). Returns the unsubscribe. */
  onChange(listener: (urgent: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolve true at the next change, false after `ms` or when `signal` aborts. */
  waitForChange(ms: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      if (signal?.aborted || ms <= 0) return resolve(false);
      const done = (changed: boolean) => {
        clearTimeout(timer);
        off();
        signal?.removeEventListener('abort', onAbort);
        resolve(changed);
      };
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(false), ms);
      const off = this.onChange(() => done(true));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private emit(urgent: boolean): void {
    for (const l of [...this.listeners]) l(urgent);
  }
}
