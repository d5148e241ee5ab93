import type { CheckStatus } from '@proconsul/kernel';

/**
 * Consul's success_before_passing / failures_before_warning / failures_before_critical.
 * Counters start at their thresholds (as Consul's StatusHandler does) so the first result
 * of a new check is reported at once; the thresholds damp flapping after that.
 * Returns the status to report, or undefined to keep the current one.
 */
export class StatusThresholds {
  private successes: number;
  private failures: number;

  constructor(
    private readonly successBeforePassing: number,
    private readonly failuresBeforeWarning: number,
    private readonly failuresBeforeCritical: number,
  ) {
    this.successes = successBeforePassing;
    this.failures = failuresBeforeCritical;
  }

  apply(status: CheckStatus): CheckStatus | undefined {
    if (status === 'passing' || status === 'warning') {
      this.successes++;
      this.failures = 0;
      return this.successes >= this.successBeforePassing ? status : undefined;
    }
    this.failures++;
    this.successes = 0;
    if (this.failures >= this.failuresBeforeCritical) return status;
    if (this.failures >= this.failuresBeforeWarning) return 'warning';
    return undefined;
  }
}
