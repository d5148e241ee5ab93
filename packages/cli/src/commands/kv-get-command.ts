import { tabAlign } from './support/columns.js';
import { attempt, defineCommand } from './support/define-command.js';
import { trimKey, valueBytes, type KvPair } from './support/kv-pair.js';

/** `kv get -detailed`: Consul's field list, tab-aligned as its tabwriter does. */
export function prettyKvPair(p: KvPair, base64: boolean): string {
  const v = valueBytes(p);
  return tabAlign([
    ['CreateIndex', String(p.CreateIndex)],
    ['Flags', String(p.Flags)],
    ['Key', p.Key],
    ['LockIndex', String(p.LockIndex)],
    ['ModifyIndex', String(p.ModifyIndex)],
    ['Session', p.Session ? p.Session : '-'],
    ['Value', base64 ? v.toString('base64') : v.toString('utf8')],
  ]);
}

export const kvGetCommand = defineCommand({
  name: 'get',
  synopsis: 'Retrieves or lists data from the KV store',
  usage: 'kv get [options] [KEY_OR_PREFIX]',
  description: `Retrieves the value from the key-value store at the given key name. If no
key exists with that name, an error is returned. If a key exists with that
name but has no data, nothing is returned.`,
  http: 'server',
  flags: [
    { name: 'base64', kind: 'bool', usage: 'Base64 encode the value. The default value is false.' },
    {
      name: 'detailed',
      kind: 'bool',
      usage: 'Provide additional metadata about the key (ModifyIndex, flags...). The default value is false.',
    },
    {
      name: 'keys',
      kind: 'bool',
      usage: 'List keys which start with the given prefix, but not their values. The default value is false.',
    },
    {
      name: 'recurse',
      kind: 'bool',
      usage: 'Recursively look at all keys prefixed with the given path. The default value is false.',
    },
    {
      name: 'separator',
      kind: 'string',
      default: '/',
      usage: 'String to use as a separator between keys. The default value is "/"; only used with -keys.',
    },
  ],
  async run({ flags, args, io, client }) {
    if (args.length > 1) {
      io.err(`Too many arguments (expected 1, got ${args.length})`);
      return 1;
    }
    const key = trimKey(args[0] ?? '');
    const recurse = flags.bool('recurse');
    const keys = flags.bool('keys');
    if (key === '' && !recurse && !keys) {
      io.err('Error! Missing KEY argument');
      return 1;
    }
    const base64 = flags.bool('base64');
    const detailed = flags.bool('detailed');
    const path = `/v1/kv/${key}`;
    if (keys) {
      const sep = flags.string('separator');
      const r = await attempt(io, 'Error querying Consul agent', () =>
        client().get(path, { query: { keys: true, separator: sep || undefined }, allow404: true }),
      );
      if (!r.ok) return 1;
      const list = r.value.status === 404 ? [] : r.value.json<string[]>();
      for (const k of list) io.out(k);
      return 0;
    }
    if (recurse) {
      const r = await attempt(io, 'Error querying Consul agent', () =>
        client().get(path, { query: { recurse: true }, allow404: true }),
      );
      if (!r.ok) return 1;
      const pairs = r.value.status === 404 ? [] : r.value.json<KvPair[]>();
      pairs.forEach((p, i) => {
        if (detailed) {
          io.out(prettyKvPair(p, base64));
          if (i < pairs.length - 1) io.out('');
        } else {
          const v = valueBytes(p);
          io.out(`${p.Key}:${base64 ? v.toString('base64') : v.toString('utf8')}`);
        }
      });
      return 0;
    }
    const r = await attempt(io, 'Error querying Consul agent', () => client().get(path, { allow404: true }));
    if (!r.ok) return 1;
    const pair = r.value.status === 404 ? undefined : r.value.json<KvPair[]>()[0];
    if (!pair) {
      io.err(`Error! No key exists at: ${key}`);
      return 1;
    }
    io.out(
      detailed ? prettyKvPair(pair, base64) : base64 ? valueBytes(pair).toString('base64') : valueBytes(pair).toString('utf8'),
    );
    return 0;
  },
});
