import type { Logger } from '@proconsul/kernel';
import { deepEqual } from '@proconsul/state';
import type { WatchDefinition } from './watch-definition.js';
import { watchJson, type WatchHandler } from './watch-handler.js';
import type { WatchSource } from './watch-queries.js';

export interface WatchPlanOptions {
  /**
   * Least time between the starts of two rounds. Bounds the loop when reads return at
   * once (index reset, a flapping key) so a watch cannot spin a core or flood its handler.
   */
  readonly minIntervalMs?: number;
  /** First retry delay after a failed read; grows with the square of consecutive failures (Consul's plan). */
  readonly retryBaseMs?: number;
  readonly maxBackoffMs?: number;
}

const DEFAULTS = { minIntervalMs: 250, retryBaseMs: 5_000, maxBackoffMs: 20_000 }; // retry: Consul's watch retryInterval / maxBackoffTime

/**
 * Consul's watch plan: block on the last index; on a new index with different data, run
 * the handler (always once for the first result). An index that goes backwards (a
 * snapshot restore, a new leader behind) resets to 0 so the next read answers at once.
 * Handler runs are sequential; a failing handler is logged and the watch goes on.
 */
export class WatchPlan {
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly o: Required<WatchPlanOptions>;
  /** Handler runs so far, for tests and metrics. */
  runs = 0;

  constructor(
    readonly def: WatchDefinition,
    private readonly source: WatchSource,
    private readonly handler: WatchHandler,
    private readonly log: Logger,
    options: WatchPlanOptions = {},
  ) {
    this.o = { ...DEFAULTS, ...options };
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.handler.close();
    await this.loop;
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    let last: bigint | undefined;
    let lastResult: unknown;
    let failures = 0;
    while (!signal.aborted) {
      const started = Date.now();
      let index: bigint;
      let result: unknown;
      try {
        ({ index, result } = await this.source.fetch(last ?? 0n, signal));
      } catch (e) {
        if (signal.aborted) break;
        failures++;
        const retry = Math.min(this.o.retryBaseMs * failures * failures, this.o.maxBackoffMs);
        this.log.error('watch errored', { type: this.def.type, watch: this.def.index, error: e, retry_ms: retry });
        await sleep(retry, signal);
        continue;
      }
      failures = 0;
      if (signal.aborted) break;
      const previous = last;
      if (previous === undefined || index !== previous) {
        last = this.source.monotonic && previous !== undefined && index < previous ? 0n : index;
        if (previous === undefined || !deepEqual(lastResult, result)) {
          lastResult = result;
          await this.invoke(index, result);
        }
      }
      await sleep(this.o.minIntervalMs - (Date.now() - started), signal);
    }
  }

  private async invoke(index: bigint, result: unknown): Promise<void> {
    this.runs++;
    try {
      await this.handler.run(index, watchJson(result));
    } catch (e) {
      if (!this.abort.signal.aborted)
        this.log.error('watch handler failed', { type: this.def.type, watch: this.def.index, error: e });
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
