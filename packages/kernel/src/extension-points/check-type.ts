import type { CheckStatus } from '../model/health.js';

/**
 * A health-check type (http, tcp, script, ttl, a user's own…). Plugins bind any number
 * of these; the agent's check runner picks the one whose `type` matches a definition.
 */
export const CheckType = Symbol.for('proconsul.CheckType');

export interface CheckType {
  /** Name used in logs and errors, e.g. "http". */
  readonly type: string;
  /**
   * Whether this type claims the definition (for example: has an `HTTP` field).
   * Must be cheap and side-effect free; called on every registration.
   */
  matches(definition: CheckDefinitionFields): boolean;
  /** JSON schema (ajv) for the type's own fields, validated before `create`. */
  readonly schema?: object;
  /** True for types that only change status from outside (ttl). The runner then schedules nothing. */
  readonly passive?: boolean;
  /**
   * Run one probe. Never throws for a failed probe: returns critical with the reason as
   * output. Must honour `signal` (aborted at the timeout or on deregistration). The
   * runner never overlaps two runs of one check.
   */
  run(definition: CheckDefinitionFields, signal: AbortSignal, context: CheckRunContext): Promise<CheckResult>;
}

/** The check definition as registered, with Consul's PascalCase field names (normalised from any case). */
export type CheckDefinitionFields = Readonly<Record<string, unknown>> & {
  readonly CheckID: string;
  readonly Name: string;
  readonly TimeoutMs: number;
  readonly IntervalMs: number;
};

export interface CheckRunContext {
  /** Where the check came from; script checks use it to enforce enable_local_script_checks vs enable_script_checks. */
  readonly source: 'config' | 'api';
}

export interface CheckResult {
  readonly status: CheckStatus;
  /** Human-readable output; the runner truncates it to 4 KiB. */
  readonly output: string;
}
