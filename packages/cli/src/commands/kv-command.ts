import { commandGroup } from './support/command-group.js';
import { kvDeleteCommand } from './kv-delete-command.js';
import { kvExportCommand } from './kv-export-command.js';
import { kvGetCommand } from './kv-get-command.js';
import { kvImportCommand } from './kv-import-command.js';
import { kvPutCommand } from './kv-put-command.js';

export const kvCommand = commandGroup('kv', 'Interact with the key-value store', 'kv', [
  kvDeleteCommand,
  kvExportCommand,
  kvGetCommand,
  kvImportCommand,
  kvPutCommand,
]);
