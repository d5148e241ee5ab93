import { commandGroup } from './support/command-group.js';
import { snapshotInspectCommand } from './snapshot-inspect-command.js';
import { snapshotRestoreCommand } from './snapshot-restore-command.js';
import { snapshotSaveCommand } from './snapshot-save-command.js';

export const snapshotCommand = commandGroup(
  'snapshot',
  'Saves, restores and inspects snapshots of Consul server state',
  'snapshot',
  [snapshotInspectCommand, snapshotRestoreCommand, snapshotSaveCommand],
);
