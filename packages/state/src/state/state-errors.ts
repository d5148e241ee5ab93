import { defineError } from '@proconsul/kernel';

/** A well-formed command the store refuses (Consul's wording in `reason` where clients match on it). */
export const CommandRejected = defineError('STATE_COMMAND_REJECTED', 400, (reason: string) => reason);
/** The snapshot stream is not one this code wrote. */
export const SnapshotInvalid = defineError(
  'STATE_SNAPSHOT_INVALID',
  500,
  (reason: string) => `invalid state snapshot: ${reason}`,
);
/** A bug surfaced while applying: returned as a value so the log keeps moving; the entry had no effect. */
export const ApplyFailed = defineError(
  'STATE_APPLY_FAILED',
  500,
  (type: string, reason: string) => `applying ${type} failed: ${reason}`,
);
