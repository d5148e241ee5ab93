import { attempt, defineCommand } from './support/define-command.js';
import { trimKey, type KvPair } from './support/kv-pair.js';

/** One entry of `kv export` / `kv import` JSON (Consul's impexp.Entry). */
export interface KvExportEntry {
  readonly key: string;
  readonly flags: number;
  /** base64 */
  readonly value: string;
}

export const kvExportCommand = defineCommand({
  name: 'export',
  synopsis: 'Exports a tree from the KV store as JSON',
  usage: 'kv export [options] [PREFIX]',
  description: `Retrieves key-value pairs for the given prefix from the key-value store
and writes a JSON representation to stdout, for use with "kv import".`,
  http: 'server',
  flags: [],
  async run({ args, io, client }) {
    if (args.length > 1) {
      io.err(`Too many arguments (expected 1, got ${args.length})`);
      return 1;
    }
    const prefix = trimKey(args[0] ?? '');
    const r = await attempt(io, 'Error querying Consul agent', () =>
      client().get(`/v1/kv/${prefix}`, { query: { recurse: true }, allow404: true }),
    );
    if (!r.ok) return 1;
    const pairs = r.value.status === 404 ? [] : r.value.json<KvPair[]>();
    const entries: KvExportEntry[] = pairs.map((p) => ({ key: p.Key, flags: p.Flags, value: p.Value ?? '' }));
    io.out(JSON.stringify(entries, null, '\t'));
    return 0;
  },
});
