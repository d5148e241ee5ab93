import { createReadStream } from 'node:fs';
import { isCoded } from '@proconsul/kernel';
import { errorText } from '../http-client.js';
import { defineCommand } from './support/define-command.js';
import { fileErrorText, verifySnapshotFile } from './snapshot-file.js';

export const snapshotRestoreCommand = defineCommand({
  name: 'restore',
  synopsis: 'Restores snapshot of Consul server state',
  usage: 'snapshot restore [options] FILE',
  description:
    'Restores an atomic, point-in-time snapshot of the state of the Proconsul servers from FILE. Every server\n' +
    'installs it through raft; the cluster keeps its own membership. The file is verified before it is sent.\n' +
    'With ACLs enabled a management token is required.',
  http: 'server',
  flags: [],
  async run({ args, io, client }) {
    if (args.length !== 1) {
      io.err('This command takes one argument: <file>');
      return 1;
    }
    const file = args[0]!;
    try {
      await verifySnapshotFile(file);
    } catch (e) {
      io.err(`Error verifying snapshot file ${file}: ${isCoded(e) ? errorText(e) : fileErrorText(e)}`);
      return 1;
    }
    try {
      await client().stream('PUT', '/v1/snapshot', { upload: createReadStream(file, { highWaterMark: 1024 * 1024 }) });
    } catch (e) {
      io.err(`Error restoring snapshot: ${errorText(e)}`);
      return 1;
    }
    io.out('Restored snapshot');
    return 0;
  },
});
