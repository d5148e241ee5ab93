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

/** A log entry that cannot be decoded or has the wrong shape (returned from apply, never thrown). */
export const CommandInvalid = defineError('STATE_COMMAND_INVALID', 400, (reason: string) => `invalid command: ${reason}`);

// The filter module builds Consul's wording ("Failed to create boolean expression evaluator: 1:7 (6): ...").
export const FilterInvalid = defineError('FILTER_INVALID', 400, (message: string) => message);
