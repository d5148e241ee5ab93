import { parseDuration, type CheckDefinitionFields, type CheckStatus } from '@proconsul/kernel';
import { CheckDefinitionInvalid } from './check-errors.js';

/** Consul's default probe timeout for every active type but script. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Consul's MinInterval: shorter intervals are raised to it, to avoid fork-bombing with script checks. */
export const MIN_INTERVAL_MS = 1_000;
/** Consul's CheckDeregisterIntervalMin: a shorter deregister_critical_service_after is raised to it. */
export const MIN_DEREGISTER_AFTER_MS = 60_000;
/** Consul's DefaultBufSize for check output. */
export const DEFAULT_OUTPUT_MAX_SIZE = 4 * 1024;

/** A check definition after normalisation: PascalCase Consul fields plus parsed durations. */
export type CheckDefinition = CheckDefinitionFields & {
  readonly Notes: string;
  readonly ServiceID: string;
  /** Initial status (Consul's `status`), critical unless given. */
  readonly Status: CheckStatus;
  /** 0 for passive (TTL) checks. */
  readonly IntervalMs: number;
  /** 0 unless this is a TTL check. */
  readonly TtlMs: number;
  /** 0 = never deregister. Already raised to the 1-minute minimum. */
  readonly DeregisterCriticalServiceAfterMs: number;
  readonly SuccessBeforePassing: number;
  readonly FailuresBeforeWarning: number;
  readonly FailuresBeforeCritical: number;
  readonly OutputMaxSize: number;
};

export interface CheckBuildOptions {
  /** Type's default timeout (script: 30s); DEFAULT_TIMEOUT_MS otherwise. */
  readonly defaultTimeoutMs?: number;
  /** Passive types (ttl) need no Interval. */
  readonly passive?: boolean;
  /** Called for adjustments Consul makes with a warning (interval raised to the minimum…). */
  readonly warn?: (message: string) => void;
}

/** Validate the common fields of `fields` (already PascalCase) and fill Consul's defaults. */
export function buildCheckDefinition(fields: Readonly<Record<string, unknown>>, opts: CheckBuildOptions = {}): CheckDefinition {
  const serviceId = optString(fields, 'ServiceID');
  let name = optString(fields, 'Name');
  if (name === '') {
    // Consul names an unnamed service check after its service; a node check must be named.
    if (serviceId === '') throw CheckDefinitionInvalid('Missing check name');
    name = `service:${serviceId}`;
  }
  const checkId = optString(fields, 'CheckID') || name;

  const status = optString(fields, 'Status') || 'critical';
  if (status !== 'passing' && status !== 'warning' && status !== 'critical') {
    throw CheckDefinitionInvalid(`Status must be one of passing, warning, critical; got "${status}"`);
  }

  let intervalMs = optDuration(fields, 'Interval');
  const ttlMs = optDuration(fields, 'TTL');
  if (opts.passive) {
    if (fields['TTL'] !== undefined && ttlMs <= 0) throw CheckDefinitionInvalid('TTL must be > 0 for TTL checks');
    intervalMs = 0;
  } else {
    if (intervalMs <= 0) throw CheckDefinitionInvalid('Interval must be > 0 for active checks');
    if (intervalMs < MIN_INTERVAL_MS) {
      opts.warn?.(`check ${checkId}: interval ${intervalMs}ms below minimum, raised to ${MIN_INTERVAL_MS}ms`);
      intervalMs = MIN_INTERVAL_MS;
    }
  }

  let timeoutMs = optDuration(fields, 'Timeout');
  if (timeoutMs < 0) throw CheckDefinitionInvalid('Timeout must be >= 0');
  if (timeoutMs === 0) timeoutMs = opts.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;

  let deregisterMs = optDuration(fields, 'DeregisterCriticalServiceAfter');
  if (deregisterMs < 0) throw CheckDefinitionInvalid('DeregisterCriticalServiceAfter must be >= 0');
  if (deregisterMs > 0 && deregisterMs < MIN_DEREGISTER_AFTER_MS) {
    opts.warn?.(`check ${checkId}: deregister_critical_service_after below minimum, raised to 1m`);
    deregisterMs = MIN_DEREGISTER_AFTER_MS;
  }

  const failuresBeforeCritical = optCount(fields, 'FailuresBeforeCritical');
  // Consul: failures_before_warning defaults to failures_before_critical.
  const failuresBeforeWarning =
    fields['FailuresBeforeWarning'] === undefined ? failuresBeforeCritical : optCount(fields, 'FailuresBeforeWarning');
  const outputMax = optCount(fields, 'OutputMaxSize') || DEFAULT_OUTPUT_MAX_SIZE;

  return {
    ...fields,
    CheckID: checkId,
    Name: name,
    Notes: optString(fields, 'Notes'),
    ServiceID: serviceId,
    Status: status,
    IntervalMs: intervalMs,
    TimeoutMs: timeoutMs,
    TtlMs: opts.passive ? ttlMs : 0,
    DeregisterCriticalServiceAfterMs: deregisterMs,
    SuccessBeforePassing: optCount(fields, 'SuccessBeforePassing'),
    FailuresBeforeWarning: failuresBeforeWarning,
    FailuresBeforeCritical: failuresBeforeCritical,
    OutputMaxSize: outputMax,
  };
}

function optString(fields: Readonly<Record<string, unknown>>, key: string): string {
  const v = fields[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw CheckDefinitionInvalid(`${key} must be a string`);
  return v;
}

function optDuration(fields: Readonly<Record<string, unknown>>, key: string): number {
  const v = fields[key];
  if (v === undefined || v === null || v === '') return 0;
  try {
    return parseDuration(v as string | number);
  } catch (err) {
    throw CheckDefinitionInvalid(`${key}: ${(err as Error).message}`);
  }
}

function optCount(fields: Readonly<Record<string, unknown>>, key: string): number {
  const v = fields[key];
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw CheckDefinitionInvalid(`${key} must be a non-negative integer`);
  }
  return v;
}
