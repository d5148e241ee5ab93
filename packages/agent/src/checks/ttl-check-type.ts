import type { CheckResult, CheckType } from '@proconsul/kernel';

/**
 * The built-in passive ttl type. The runner never calls `run` for passive types; status
 * comes from TtlCheck (pass/warn/fail/update through the agent API).
 */
export const TTL_CHECK_TYPE: CheckType = {
  type: 'ttl',
  passive: true,
  matches: (def) => def['TTL'] !== undefined && def['TTL'] !== '',
  run: (): Promise<CheckResult> => Promise.resolve({ status: 'critical', output: 'ttl checks are passive' }),
};
