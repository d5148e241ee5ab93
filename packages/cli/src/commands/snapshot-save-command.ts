import { open, rename, rm } from 'node:fs/promises';
import { errorText } from '../http-client.js';
import { defineCommand } from './support/define-command.js';
import { fileErrorText, verifySnapshotFile } from './snapshot-file.js';

export const snapshotSaveCommand = defineCommand({
  name: 'save',
  synopsis: 'Saves snapshot of Consul server state',
  usage: 'snapshot save [options] FILE',
  description:
    'Retrieves an atomic, point-in-time snapshot of the state of the Proconsul servers (KV, catalog, sessions,\n' +
    'ACLs, autopilot configuration) and saves it to FILE, then verifies it. With ACLs enabled a management\n' +
    'token is required.',
  http: 'server',
  flags: [],
  async run({ args, io, client }) {
    if (args.length !== 1) {
      io.err('This command takes one argument: <file>');
      return 1;
    }
    const file = args[0]!;
    // Written beside the target and renamed once verified: a failed save never leaves a
    // file that looks like a good backup.
    const part = `${file}.part`;
    let fh;
    try {
      fh = await open(part, 'w', 0o600);
    } catch (e) {
      io.err(`Error creating snapshot file: ${fileErrorText(e)}`);
      return 1;
    }
    let index: number;
    try {
      const handle = fh;
      ({ index } = await client().stream('GET', '/v1/snapshot', {
        sink: async (chunk) => {
          await handle.write(chunk);
        },
      }));
      await fh.sync();
      await fh.close();
    } catch (e) {
      await fh.close().catch(() => {});
      await rm(part, { force: true });
      io.err(`Error saving snapshot: ${errorText(e)}`);
      return 1;
    }
    try {
      await verifySnapshotFile(part);
    } catch (e) {
      await rm(part, { force: true });
      io.err(`Error verifying snapshot file: ${errorText(e)}`);
      return 1;
    }
    try {
      await rename(part, file);
    } catch (e) {
      await rm(part, { force: true });
      io.err(`Error renaming snapshot file: ${fileErrorText(e)}`);
      return 1;
    }
    io.out(`Saved and verified snapshot to index ${index}`);
    return 0;
  },
});
