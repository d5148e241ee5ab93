interface Batch<Op> {
  readonly ops: Op[];
  readonly promise: Promise<void>;
  resolve(): void;
  reject(e: unknown): void;
}

/**
 * Group commit: every op submitted while a durable write is in flight (or within the same
 * tick) joins the next batch, so N concurrent proposals cost one fsync, not N. Batches run
 * strictly one after another, in submit order, which is what lets raft reason "a later
 * write's completion implies the earlier ones". `run` may block on disk I/O; it is never
 * called while another batch runs. After a failure every later submit rejects with it.
 */
export class GroupCommit<Op> {
  private inflight: Batch<Op> | undefined;
  private next: Batch<Op> | undefined;
  private failed: unknown;

  constructor(
    private readonly run: (ops: Op[]) => Promise<void>,
    /** Called once when a batch fails: raft cannot continue without its disk. */
    private readonly onError?: (err: unknown) => void,
  ) {}

  /** The failure that stopped the committer, if any. */
  get failure(): unknown {
    return this.failed;
  }

  /** Resolves once `ops` (and everything submitted before) is durable. */
  submit(ops: readonly Op[]): Promise<void> {
    if (this.failed !== undefined) return Promise.reject(this.failed);
    if (!this.next) {
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      // Nobody may be awaiting this promise (fire-and-forget writes); errors go to onError.
      promise.catch(() => {});
      this.next = { ops: [], promise, resolve, reject };
      // Defer the start by a microtask so writes issued in the same tick share the batch.
      if (!this.inflight) queueMicrotask(() => this.kick());
    }
    this.next.ops.push(...ops);
    return this.next.promise;
  }

  /** Resolves when everything submitted so far is durable; rejects after a failure. */
  flushed(): Promise<void> {
    if (this.failed !== undefined) return Promise.reject(this.failed);
    return (this.next ?? this.inflight)?.promise ?? Promise.resolve();
  }

  private kick(): void {
    if (this.inflight || !this.next) return;
    const batch = this.next;
    this.next = undefined;
    this.inflight = batch;
    this.run(batch.ops).then(
      () => {
        this.inflight = undefined;
        batch.resolve();
        this.kick();
      },
      (err: unknown) => {
        this.failed = err;
        batch.reject(err);
        this.next?.reject(err);
        this.onError?.(err);
      },
    );
  }
}
