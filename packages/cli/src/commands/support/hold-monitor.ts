import { sleep } from './child-process.js';

/** Wait between monitor retries after a 5xx (Consul's lock command: 1s). */
const MONITOR_RETRY_MS = 1_000;

export interface HoldCheck {
  /** The X-Consul-Index of the read, to block on next time. */
  readonly index: number;
  /** Whether we still hold the lock or semaphore slot according to that read. */
  readonly held: boolean;
}

/**
 * The monitor loop shared by locks and semaphores: blocking reads until one shows we no
 * longer hold it (`onLost('<what> lost')`), retrying transport errors and 5xx up to
 * `retries` times in a row (Consul's -monitor-retry), and stopping quietly on `stop`.
 * Runs in the background; returns at once.
 */
export function monitorHold(
  check: (index: number) => Promise<HoldCheck>,
  opts: { retries: number; stop: AbortSignal; what: string; onLost: (reason: string) => void },
): void {
  void (async () => {
    let index = 0;
    let retries = opts.retries;
    while (!opts.stop.aborted) {
      try {
        const r = await check(index);
        if (!r.held) {
          if (!opts.stop.aborted) opts.onLost(`${opts.what} lost`);
          return;
        }
        index = r.index;
        retries = opts.retries;
      } catch (e) {
        if (opts.stop.aborted) return;
        const status = (e as { statusCode?: number }).statusCode;
        if (retries > 0 && (status === undefined || status >= 500)) {
          retries--;
          await sleep(MONITOR_RETRY_MS, opts.stop);
          continue;
        }
        opts.onLost(`monitor failed: ${(e as Error).message}`);
        return;
      }
    }
  })();
}
