/**
 * What one blocking query read, registered with the store's {@link WatchRegistry} at read
 * time: a change that lands between the read and `wait()` is not lost (wait resolves at
 * once).
 *
 * Ownership: whoever creates a WatchSet must end it with `wait()` or `close()`; both
 * unregister everything, so a finished query leaves nothing behind in the registry.
 * Single-use: after it fired, timed out or was closed, make a new one.
 */
export class WatchSet {
  private unsubscribers: (() => void)[] = [];
  private fired = false;
  private closed = false;
  private settle: ((changed: boolean) => void) | undefined;
  private pending: Promise<boolean> | undefined;

  /** True once something watched changed. */
  get changed(): boolean {
    return this.fired;
  }

  /** Number of registrations currently held (for tests and metrics). */
  get size(): number {
    return this.unsubscribers.length;
  }

  /** @internal Registries record how to undo a registration. */
  attach(unsubscribe: () => void): boolean {
    if (this.fired || this.closed) {
      unsubscribe();
      return false;
    }
    this.unsubscribers.push(unsubscribe);
    return true;
  }

  /** @internal Called by a registry (synchronously, inside an FSM apply) when a watched thing changed. */
  trigger(): void {
    if (this.fired || this.closed) return;
    this.fired = true;
    this.release();
    this.settle?.(true);
  }

  /**
   * Resolve `true` as soon as anything watched changes (or already has), `false` after
   * `timeoutMs` or when `signal` aborts. Never rejects. Calling it again while pending
   * returns the same promise.
   */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.fired) return Promise.resolve(true);
    if (this.closed) return Promise.resolve(false);
    if (this.pending) return this.pending;
    this.pending = new Promise<boolean>((resolve) => {
      const onAbort = () => this.finish(false);
      const timer = setTimeout(() => this.finish(false), Math.max(0, timeoutMs));
      this.settle = (changed) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.settle = undefined;
        resolve(changed);
      };
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
    return this.pending;
  }

  /** Unregister everything without waiting (a query that answered without blocking). */
  close(): void {
    this.finish(false);
  }

  private finish(changed: boolean): void {
    if (this.closed || this.fired) return;
    this.closed = true;
    this.release();
    this.settle?.(changed);
  }

  private release(): void {
    const subs = this.unsubscribers;
    this.unsubscribers = [];
    for (const unsubscribe of subs) unsubscribe();
  }
}
