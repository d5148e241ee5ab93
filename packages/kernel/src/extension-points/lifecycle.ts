export type MaybePromise<T> = T | Promise<T>;

/**
 * Anything with start/stop phases. The kernel runs `configure` on all, then `start` on
 * all in plugin order, and `stop` in reverse order. A failure in configure or start
 * stops what had started and aborts the boot; `stop` is also called on the lifecycle
 * whose `start` threw, so it must tolerate a partial (or no) start. Phases of different
 * lifecycles never run concurrently.
 */
export const Lifecycle = Symbol.for('proconsul.Lifecycle');

export interface Lifecycle {
  /** Shown in logs with the phase's duration, e.g. "api-http". */
  readonly name: string;
  configure?(): MaybePromise<void>;
  start?(): MaybePromise<void>;
  /**
   * Must resolve within a few seconds whatever is in flight (the agent process gives up
   * on a stop that hangs); release sockets, timers and files.
   */
  stop?(): MaybePromise<void>;
  /**
   * Shutdown has begun: called on every started lifecycle, in stop order, before any
   * `stop`. End waits that would hold other stops up (a request held for a leader, a
   * retry pause). Must not block or throw.
   */
  stopping?(): void;
}
