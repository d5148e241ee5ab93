import type { CheckStatus, Clock, Timer } from '@proconsul/kernel';
import { truncateOutput } from './check-output.js';

/** What the agent persists for a TTL check so its status survives a restart until the TTL lapses. */
export interface TtlState {
  readonly status: CheckStatus;
  readonly output: string;
  /** Clock time (ms) at which the check turns critical unless updated again. */
  readonly expiresAt: number;
}

/**
 * A passive check whose status the application sets (`/agent/check/pass|warn|fail|update`);
 * it turns critical with "TTL expired" when not updated within the TTL. Single-threaded:
 * all calls and the expiry callback run on the event loop, never concurrently.
 */
export class TtlCheck {
  private status: CheckStatus;
  private output = '';
  private expiresAt: number;
  private timer: Timer | undefined;
  private stopped = false;

  constructor(
    private readonly ttlMs: number,
    private readonly clock: Clock,
    /** Called on every change, including expiry. */
    private readonly notify: (status: CheckStatus, output: string) => void,
    initialStatus: CheckStatus = 'critical',
    private readonly outputMax?: number,
  ) {
    this.status = initialStatus;
    this.expiresAt = clock.now() + ttlMs;
    this.arm(ttlMs);
  }

  /** Set status and output and restart the TTL (Consul's SetStatus). Returns the stored (truncated) output. */
  update(status: CheckStatus, output = ''): string {
    if (this.stopped) return output;
    this.status = status;
    this.output = truncateOutput(output, this.outputMax);
    this.expiresAt = this.clock.now() + this.ttlMs;
    this.arm(this.ttlMs);
    this.notify(this.status, this.output);
    return this.output;
  }

  pass(note = ''): string {
    return this.update('passing', note);
  }
  warn(note = ''): string {
    return this.update('warning', note);
  }
  fail(note = ''): string {
    return this.update('critical', note);
  }

  /** Snapshot for persistence. */
  state(): TtlState {
    return { status: this.status, output: this.output, expiresAt: this.expiresAt };
  }

  /**
   * Re-apply persisted state after a restart. An expired state turns the check critical at
   * once; otherwise status and output are taken over and expiry is kept where it was.
   */
  restore(state: TtlState): void {
    if (this.stopped) return;
    const left = state.expiresAt - this.clock.now();
    this.output = state.output;
    if (left <= 0) {
      this.expire();
      return;
    }
    this.status = state.status;
    this.expiresAt = state.expiresAt;
    this.arm(left);
    this.notify(this.status, this.output);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private arm(ms: number): void {
    this.timer?.cancel();
    this.timer = this.clock.setTimer(() => this.expire(), ms);
  }

  private expire(): void {
    if (this.stopped) return;
    this.timer = undefined;
    this.status = 'critical';
    this.expiresAt = this.clock.now();
    const out = this.output === '' ? 'TTL expired' : `TTL expired (last output before timeout follows): ${this.output}`;
    this.notify('critical', out);
  }
}
