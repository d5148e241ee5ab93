import { defineError } from '@proconsul/kernel';

/** A file or upload that is not a whole, intact Proconsul snapshot archive (the running state is untouched). */
export const SnapshotArchiveInvalid = defineError(
  'SNAPSHOT_ARCHIVE_INVALID',
  400,
  (reason: string) => `invalid snapshot archive: ${reason}`,
);
