import { defineError } from '@proconsul/kernel';

/** A chunk for a transfer this leader does not know: expired after its idle timeout, or a leader change. */
export const SnapshotTransferUnknown = defineError(
  'SNAPSHOT_TRANSFER_UNKNOWN',
  400,
  () => 'snapshot transfer unknown or expired (idle too long, or the leader changed); start again',
);
/** Malformed arguments of a snapshot RPC (a bug or a raw client on the server port). */
export const SnapshotArgsInvalid = defineError('SNAPSHOT_ARGS_INVALID', 400, (reason: string) => `snapshot rpc: ${reason}`);
/** The consensus plugin in use cannot replace the state (restore needs raft). */
export const SnapshotRestoreUnsupported = defineError(
  'SNAPSHOT_RESTORE_UNSUPPORTED',
  501,
  () => 'this server cannot restore snapshots (its consensus plugin has no restore)',
);
/** `?dc=` naming another datacenter: no route until multi-datacenter exists (Consul's words). */
export const SnapshotNoPathToDatacenter = defineError('SNAPSHOT_NO_PATH_TO_DC', 500, () => 'No path to datacenter');
/** A request body that is not an archive at all (wrong content, empty). */
export const SnapshotBodyMissing = defineError(
  'SNAPSHOT_BODY_MISSING',
  400,
  () => 'snapshot restore needs the archive as the request body',
);
