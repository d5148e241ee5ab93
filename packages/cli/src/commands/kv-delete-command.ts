import { errorText } from '../http-client.js';
import { defineCommand } from './support/define-command.js';
import { trimKey } from './support/kv-pair.js';

export const kvDeleteCommand = defineCommand({
  name: 'delete',
  synopsis: 'Removes data from the KV store',
  usage: 'kv delete [options] KEY_OR_PREFIX',
  description: `Removes the value from the key-value store at the given path. If no key
exists at the path, no action is taken. With -recurse, every key starting
with the prefix is removed.`,
  http: 'server',
  flags: [
    {
      name: 'cas',
      kind: 'bool',
      usage: 'Perform a Check-And-Set operation; requires -modify-index. The default value is false.',
    },
    { name: 'modify-index', kind: 'uint', value: '<uint>', usage: 'ModifyIndex of the key, used with -cas.' },
    { name: 'recurse', kind: 'bool', usage: 'Recursively delete all keys with the path. The default value is false.' },
  ],
  async run({ flags, args, io, client }) {
    if (args.length > 1) {
      io.err(`Too many arguments (expected 1, got ${args.length})`);
      return 1;
    }
    const key = trimKey(args[0] ?? '');
    const recurse = flags.bool('recurse');
    const cas = flags.bool('cas');
    const modifyIndex = flags.number('modify-index');
    if (key === '' && !recurse) {
      io.err('Error! Missing KEY argument');
      return 1;
    }
    if (cas && modifyIndex === 0) {
      io.err('Cannot delete a key that does not exist. Provide a -modify-index greater than than 0.');
      return 1;
    }
    if (modifyIndex !== 0 && !cas) {
      io.err('Cannot specify -modify-index without -cas!');
      return 1;
    }
    if (recurse && cas) {
      io.err('Cannot specify both -cas and -recurse!');
      return 1;
    }
    const path = `/v1/kv/${key}`;
    try {
      if (recurse) {
        await client().delete(path, { query: { recurse: true } });
        io.out(`Success! Deleted keys with prefix: ${key}`);
        return 0;
      }
      if (cas) {
        const res = await client().delete(path, { query: { cas: modifyIndex } });
        if (res.text().trim() !== 'true') {
          io.err(`Error! Did not delete key ${key}: CAS failed`);
          return 1;
        }
      } else {
        await client().delete(path);
      }
    } catch (e) {
      const text = errorText(e);
      io.err(
        recurse
          ? `Error! Did not delete prefix ${key}: ${text}`
          : cas
            ? `Error! Did not delete key ${key}: ${text}`
            : `Error deleting key ${key}: ${text}`,
      );
      return 1;
    }
    io.out(`Success! Deleted key: ${key}`);
    return 0;
  },
});
