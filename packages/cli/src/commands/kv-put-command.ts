import { errorText } from '../http-client.js';
import { defineCommand } from './support/define-command.js';
import { loadDataArgument } from './support/data-argument.js';

export const kvPutCommand = defineCommand({
  name: 'put',
  synopsis: 'Sets or updates data in the KV store',
  usage: 'kv put [options] KEY [DATA]',
  description: `Writes the data to the given path in the key-value store. The data can be
read from a file by prefixing it with "@" or from stdin with "-":

    $ proconsul kv put config/redis/maxconns 5
    $ proconsul kv put config/program/license @license.lic
    $ echo "abcd1234" | proconsul kv put config/program/license -

To perform a Check-And-Set operation, give -cas with -modify-index.`,
  http: 'server',
  flags: [
    { name: 'acquire', kind: 'bool', usage: 'Obtain a lock on the key; requires -session. The default value is false.' },
    { name: 'base64', kind: 'bool', usage: 'Treat the data as base 64 encoded. The default value is false.' },
    {
      name: 'cas',
      kind: 'bool',
      usage: 'Perform a Check-And-Set operation; requires -modify-index. The default value is false.',
    },
    {
      name: 'flags',
      kind: 'uint',
      value: '<uint>',
      usage: 'Unsigned integer value to assign to this key-value pair. The default value is 0.',
    },
    { name: 'modify-index', kind: 'uint', value: '<uint>', usage: 'ModifyIndex of the key, used with -cas.' },
    { name: 'release', kind: 'bool', usage: 'Forfeit the lock on the key; requires -session. The default value is false.' },
    {
      name: 'session',
      kind: 'string',
      value: '<id>',
      usage: 'Session ID used with -acquire and -release. The default value is empty.',
    },
  ],
  async run({ flags, args, io, client }) {
    if (args.length === 0) {
      io.err('Error! Missing KEY argument');
      return 1;
    }
    if (args.length > 2) {
      io.err(`Error! Too many arguments (expected 1 or 2, got ${args.length})`);
      return 1;
    }
    const key = args[0]!;
    let data: Buffer;
    try {
      data = args[1] === undefined || args[1] === '' ? Buffer.alloc(0) : await loadDataArgument(io, args[1]);
    } catch (e) {
      io.err(`Error! ${errorText(e)}`);
      return 1;
    }
    if (flags.bool('base64')) {
      const text = data.toString('utf8').trim();
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
        io.err('Error! Cannot base 64 decode data: illegal base64 data');
        return 1;
      }
      data = Buffer.from(text, 'base64');
    }
    const session = flags.string('session');
    const acquire = flags.bool('acquire');
    const release = flags.bool('release');
    const cas = flags.bool('cas');
    if ((acquire || release) && session === '') {
      io.err('Error! Missing -session (required with -acquire and -release)');
      return 1;
    }
    if (cas && flags.number('modify-index') === 0) {
      io.err('Must specify -modify-index with -cas!');
      return 1;
    }
    const kvFlags = flags.number('flags');
    const query = {
      flags: kvFlags !== 0 ? kvFlags : undefined,
      cas: cas ? flags.number('modify-index') : undefined,
      acquire: acquire && !cas ? session : undefined,
      release: release && !cas && !acquire ? session : undefined,
    };
    let ok: boolean;
    try {
      const res = await client().put(`/v1/kv/${key}`, { query, body: data });
      ok = res.text().trim() === 'true';
    } catch (e) {
      io.err(cas ? `Error! Did not write to ${key}: ${errorText(e)}` : `Error! Failed writing data: ${errorText(e)}`);
      return 1;
    }
    if (cas) {
      if (!ok) {
        io.err(`Error! Did not write to ${key}: CAS failed`);
        return 1;
      }
      io.out(`Success! Data written to: ${key}`);
    } else if (acquire) {
      if (!ok) {
        io.err('Error! Did not acquire lock');
        return 1;
      }
      io.out(`Success! Lock acquired on: ${key}`);
    } else if (release) {
      if (!ok) {
        io.err('Error! Did not release lock');
        return 1;
      }
      io.out(`Success! Lock released on: ${key}`);
    } else {
      io.out(`Success! Data written to: ${key}`);
    }
    return 0;
  },
});
