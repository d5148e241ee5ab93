import type { RaftLogStoreSettings } from '@proconsul/kernel';

/** Consul's bound on `raft_logstore.wal.segment_size_mb`. */
const MAX_SEGMENT_MB = 1024;

/**
 * `raft_logstore { backend, wal { segment_size_mb } }`: which raft log backend a server
 * uses. "boltdb" (Consul's default) is the log in the storage engine; "wal" is segment files.
 */
export function buildRaftLogStore(
  get: (key: string) => unknown,
  fail: (key: string, reason: string) => never,
): RaftLogStoreSettings {
  const backend = (get('raft_logstore.backend') as string | undefined) ?? 'boltdb';
  if (backend !== 'boltdb' && backend !== 'wal') fail('raft_logstore.backend', `must be "boltdb" or "wal", got "${backend}"`);
  const mb = (get('raft_logstore.wal.segment_size_mb') as number | undefined) ?? 64;
  if (!Number.isInteger(mb) || mb < 1 || mb > MAX_SEGMENT_MB)
    fail('raft_logstore.wal.segment_size_mb', `must be a whole number of MiB from 1 to ${MAX_SEGMENT_MB}, got ${mb}`);
  return { backend: backend as RaftLogStoreSettings['backend'], walSegmentSizeMb: mb };
}
