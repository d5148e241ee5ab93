import {
  formatDuration,
  type CheckResult,
  type CheckRunContext,
  type CheckType,
  type Clock,
  type Timer,
} from '@proconsul/kernel';
import type { CheckDefinition } from './check-definition.js';
import { slotWidthMs, type RunSlots } from './run-slots.js';

/**
 * How long a probe may ignore its aborted signal before the runner reports the timeout
 * itself; the run still counts as in flight until it settles, so runs never overlap.
 */
export const ABORT_GRACE_MS = 1_000;

/**
 * The loop of one active check: first run after `firstDelayMs` (the stagger), then
 * `IntervalMs` after each run *completes* (Consul's behaviour), so a check never overlaps
 * itself. Each run gets its own AbortSignal, fired at TimeoutMs or on stop. Runs start on
 * the runner's shared slots (run-slots.ts): at most 1% of the interval later than due.
 */
export class ScheduledCheck {
  private timer: Timer | undefined;
  private inFlight: { controller: AbortController; done: Promise<void> } | undefined;
  private stopped = false;
  private readonly slotMs: number;

  constructor(
    private readonly def: CheckDefinition,
    private readonly type: CheckType,
    private readonly context: CheckRunContext,
    private readonly clock: Clock,
    /** Receives each run's result; never called after stop(). */
    private readonly report: (result: CheckResult) => void,
    private readonly slots: RunSlots,
  ) {
    this.slotMs = slotWidthMs(def.IntervalMs);
  }

  start(firstDelayMs: number): void {
    this.schedule(firstDelayMs);
  }

  /** True while a probe is running (for tests and diagnostics). */
  get running(): boolean {
    return this.inFlight !== undefined;
  }

  /**
   * Cancel the schedule, abort an in-flight probe and wait for it to settle — at most
   * ABORT_GRACE_MS of real time, so one probe ignoring its signal cannot hang a shutdown
   * (its late result is discarded).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    const f = this.inFlight;
    if (!f) return;
    f.controller.abort();
    let giveUp: NodeJS.Timeout | undefined;
    await Promise.race([f.done, new Promise<void>((r) => (giveUp = setTimeout(r, ABORT_GRACE_MS).unref()))]);
    clearTimeout(giveUp);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.slots.schedule(
      () => {
        this.timer = undefined;
        this.runOnce();
      },
      ms,
      this.slotMs,
    );
  }

  private runOnce(): void {
    if (this.stopped || this.inFlight) return;
    const controller = new AbortController();
    let reported = false;
    let grace: Timer | undefined;
    const timeout = this.clock.setTimer(() => {
      controller.abort(new DOMException(`timed out after ${formatDuration(this.def.TimeoutMs)}`, 'TimeoutError'));
      grace = this.clock.setTimer(() => {
        // The probe ignored its signal: report the timeout now, keep waiting for it to settle.
        if (this.stopped) return;
        reported = true;
        this.report({ status: 'critical', output: `Timed out (${formatDuration(this.def.TimeoutMs)}) running check` });
      }, ABORT_GRACE_MS);
    }, this.def.TimeoutMs);

    const done = this.probe(controller.signal).then((result) => {
      timeout.cancel();
      grace?.cancel();
      this.inFlight = undefined;
      if (this.stopped) return;
      if (!reported) this.report(result);
      this.schedule(this.def.IntervalMs);
    });
    this.inFlight = { controller, done };
  }

  private async probe(signal: AbortSignal): Promise<CheckResult> {
    try {
      return await this.type.run(this.def, signal, this.context);
    } catch (err) {
      // The contract says run() never throws; a plugin bug must still not kill the loop.
      return { status: 'critical', output: `check type "${this.type.type}" failed: ${(err as Error)?.message ?? String(err)}` };
    }
  }
}
