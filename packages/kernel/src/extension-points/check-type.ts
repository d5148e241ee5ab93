import type { CheckStatus } from '@proconsul/model';

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
  /** JSON schema (ajv, draft-07) for the type's own PascalCase fields, validated at registration. */
  readonly schema?: object;
  /** True for types that only change status from outside (ttl). The runner then schedules nothing. */
  readonly passive?: boolean;
  /** Timeout when the definition gives none; the runner uses 10s (Consul's) when absent. Script: 30s. */
  readonly defaultTimeoutMs?: number;
  /**
   * Reject a definition at registration, beyond what `schema` can say (for example script
   * checks when the agent does not allow them from this source). Throws a coded error
   * (`defineError`, status 400); called once per registration, synchronously.
   */
  validate?(definition: CheckDefinitionFields, context: CheckRunContext): void;
  /**
   * Run one probe. Never throws for a failed probe: returns critical with the reason as
   * output. Must honour `signal` (aborted at the timeout or on deregistration) and settle
   * promptly once it fires: at the timeout `signal.reason` is a DOMException named
   * "TimeoutError" (see isTimeoutAbort), on deregistration/shutdown an "AbortError", whose
   * result is discarded. The runner never overlaps two runs of one check; runs of
   * different checks do overlap, so a type must keep no per-run state on itself.
   */
  run(definition: CheckDefinitionFields, signal: AbortSignal, context: CheckRunContext): Promise<CheckResult>;
  /**
   * Types that follow something continuously (alias: another service's health through
   * blocking queries) implement this instead of being scheduled: the runner calls it once
   * and aborts `signal` on deregistration or shutdown. `report` may be called any number of
   * times; only changes reach the catalog. Must not throw; report critical instead.
   */
  watch?(definition: CheckDefinitionFields, report: (result: CheckResult) => void, signal: AbortSignal): void;
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

/** Whether an aborted probe's signal fired because its timeout elapsed (vs. a stop). */
export function isTimeoutAbort(signal: AbortSignal): boolean {
  const reason: unknown = signal.reason;
  return signal.aborted && typeof reason === 'object' && reason !== null && (reason as Error).name === 'TimeoutError';
}

export interface CheckResult {
  readonly status: CheckStatus;
  /** Human-readable output; the runner truncates it to 4 KiB. */
  readonly output: string;
}
