import { errorText } from '../http-client.js';
import { defineCommand } from './support/define-command.js';

interface KeyringResponse {
  readonly WAN: boolean;
  readonly Datacenter: string;
  readonly Segment?: string;
  readonly Keys: Record<string, number>;
  readonly PrimaryKeys?: Record<string, number>;
  readonly NumNodes: number;
}

export function renderKeyring(responses: readonly KeyringResponse[], primaryOnly = false): string {
  const lines: string[] = [];
  for (const r of responses) {
    let pool = `${r.Datacenter} (LAN)`;
    if (r.Segment) pool += ` [${r.Segment}]`;
    if (r.WAN) pool = 'WAN';
    lines.push('', `${pool}:`);
    for (const [key, n] of Object.entries((primaryOnly ? r.PrimaryKeys : r.Keys) ?? {}))
      lines.push(`  ${key} [${n}/${r.NumNodes}]`);
  }
  return lines.join('\n');
}

export const keyringCommand = defineCommand({
  name: 'keyring',
  synopsis: 'Manages gossip layer encryption keys',
  usage: 'keyring [options]',
  description: `Manages encryption keys used for gossip messages: list the keys in use,
install new ones, change the primary key and remove old ones, cluster-wide.
Exactly one action flag must be given.`,
  http: 'client',
  flags: [
    { name: 'install', kind: 'string', value: '<key>', usage: 'Install a new encryption key, broadcast to all members.' },
    { name: 'list', kind: 'bool', usage: 'List all keys currently in use within the cluster.' },
    { name: 'list-primary', kind: 'bool', usage: 'List all primary keys currently in use within the cluster.' },
    {
      name: 'local-only',
      kind: 'bool',
      usage: 'With -list or -list-primary: ask only this datacenter (no WAN pool).',
    },
    {
      name: 'relay-factor',
      kind: 'int',
      value: '<n>',
      usage: 'Relay responses through this many random nodes (0-5). The default value is 0.',
    },
    { name: 'remove', kind: 'string', value: '<key>', usage: 'Remove the given key from the cluster (not the primary key).' },
    { name: 'use', kind: 'string', value: '<key>', usage: 'Change the primary encryption key; it must already be installed.' },
  ],
  async run({ flags, io, client }) {
    const listing = flags.bool('list') || flags.bool('list-primary');
    const actions = [
      flags.bool('list'),
      flags.bool('list-primary'),
      !!flags.string('install'),
      !!flags.string('use'),
      !!flags.string('remove'),
    ].filter(Boolean).length;
    if (actions > 1) {
      io.err('Only a single action is allowed');
      return 1;
    }
    if (actions === 0) {
      io.err(keyringCommand.help);
      return 1;
    }
    const relay = flags.number('relay-factor');
    if (relay < 0 || relay > 5) {
      io.err('Error parsing relay factor: Relay factor must be in range: [0, 5]');
      return 1;
    }
    if (flags.bool('local-only') && !listing) {
      io.err('The -local-only flag can only be used with -list or -list-primary');
      return 1;
    }
    const query = { 'relay-factor': relay || undefined, 'local-only': flags.bool('local-only') ? 'true' : undefined };
    try {
      if (listing) {
        io.out('==> Gathering installed encryption keys...');
        const res = await client().get('/v1/operator/keyring', { query });
        io.out(renderKeyring(res.json<KeyringResponse[]>(), flags.bool('list-primary')));
        return 0;
      }
      const [label, method, key] = flags.string('install')
        ? ['Installing new gossip encryption key...', 'POST', flags.string('install')]
        : flags.string('use')
          ? ['Changing primary gossip encryption key...', 'PUT', flags.string('use')]
          : ['Removing gossip encryption key...', 'DELETE', flags.string('remove')];
      io.out(`==> ${label}`);
      await client().request(method, '/v1/operator/keyring', { query, body: { Key: key } });
      return 0;
    } catch (e) {
      io.err(`error: ${errorText(e)}`);
      return 1;
    }
  },
});
