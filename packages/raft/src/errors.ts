import { defineError } from '@proconsul/kernel';

// Raft's own coded errors. RAFT_NOT_LEADER and RAFT_TIMEOUT live in the kernel
// (NotLeader, ConsensusTimeout) because other packages branch on them.

export const RaftConfigInvalid = defineError(
  'RAFT_CONFIG_INVALID',
  400,
  (field: string, reason: string) => `raft config ${field}: ${reason}`,
);
export const RaftShutdown = defineError('RAFT_SHUTDOWN', 500, () => 'raft is shut down');
export const LeadershipLost = defineError(
  'RAFT_LEADERSHIP_LOST',
  500,
  () => 'leadership lost while the command was in flight; it may or may not have been committed',
);
export const LeadershipTransferInProgress = defineError(
  'RAFT_TRANSFER_IN_PROGRESS',
  500,
  () => 'leadership transfer in progress',
);
export const ConfigChangeInProgress = defineError(
  'RAFT_CONFIG_CHANGE_IN_PROGRESS',
  500,
  () => 'a configuration change is already in progress',
);
export const RaftAlreadyBootstrapped = defineError(
  'RAFT_ALREADY_BOOTSTRAPPED',
  409,
  () => 'raft already has state; refusing to bootstrap again',
);
export const UnknownServer = defineError('RAFT_UNKNOWN_SERVER', 404, (id: string) => `server ${id} is not in the configuration`);
export const RestoreInProgress = defineError(
  'RAFT_RESTORE_IN_PROGRESS',
  503,
  () => 'a snapshot restore is in progress; retry when it completes',
);
export const RestoreInterrupted = defineError(
  'RAFT_RESTORE_INTERRUPTED',
  500,
  (reason: string) => `snapshot restore interrupted (${reason}); nothing was restored, try again`,
);
export const RaftLogCorrupt = defineError(
  'RAFT_LOG_CORRUPT',
  500,
  (file: string, reason: string) =>
    `raft log segment ${file} is damaged (${reason}) before its last written record; refusing to start rather than drop ` +
    'acknowledged entries. Move the data_dir\'s "raft" directory away and restart: the server then restores from the leader',
);
export const RaftLogGap = defineError(
  'RAFT_LOG_GAP',
  500,
  (firstIndex: number, snapshotIndex: number) =>
    `the raft log on disk starts at index ${firstIndex} but the newest usable snapshot ends at ${snapshotIndex}: ` +
    'entries in between are lost (a damaged or missing snapshot), so this server refuses to start rather than forget ' +
    "writes it acknowledged. Move its raft data away (the data_dir's raft-log, raft-stable, raft-snapshots and raft " +
    'directories) and restart: the server then restores from the leader',
);
export const RaftLogBackendMismatch = defineError(
  'RAFT_LOG_BACKEND_MISMATCH',
  500,
  (configured: string, found: string, where: string) =>
    `raft_logstore.backend is "${configured}" but this server's raft log is stored by the "${found}" backend (${where}). ` +
    "To switch backend, stop the server, move its raft data away (the data_dir's raft-log, raft-stable, raft-snapshots and raft directories) " +
    'and restart: the server rejoins and restores from the leader. Or set raft_logstore.backend back to ' +
    `"${found}"`,
);
