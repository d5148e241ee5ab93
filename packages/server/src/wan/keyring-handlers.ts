import { BadRequest, type KeyringOp, type KeyringPoolResult, type Membership } from '@proconsul/kernel';
import type { ServerHandler } from '../server/server-handler.js';

/** `GET /v1/operator/keyring` reaching another datacenter: its server lists its LAN pool. */
export const KEYRING_LIST = 'Internal.KeyringList';
/** A keyring change reaching another datacenter: its server applies it to its LAN pool. */
export const KEYRING_CHANGE = 'Internal.KeyringOperation';

const OPS: readonly KeyringOp[] = ['list', 'install', 'use', 'remove'];

/**
 * Consul runs a keyring operation in every datacenter: the agent asked covers its own
 * pools, a server of its datacenter covers the WAN pool when that agent is a client, and one
 * server of each other datacenter covers that datacenter's LAN pool (the WAN pool is shared,
 * so it is covered once). `pools` in the arguments says which (default: the LAN pool). Checked on the server that runs it with the
 * caller's token: keyring:read for a list, keyring:write for a change.
 */
export function keyringHandlers(membership: () => Membership | undefined): ServerHandler[] {
  const run = async (args: unknown, change: boolean): Promise<KeyringPoolResult[]> => {
    const a = (args ?? {}) as { op?: unknown; key?: unknown; pools?: unknown };
    const pools = a.pools === undefined ? ['lan' as const] : a.pools;
    if (!Array.isArray(pools) || pools.length === 0 || pools.some((p) => p !== 'lan' && p !== 'wan'))
      throw BadRequest('keyring pools must be a non-empty list of "lan" and "wan"');
    const op = OPS.find((o) => o === a.op);
    if (!op || (op === 'list') === change) throw BadRequest(`invalid keyring operation ${JSON.stringify(a.op)}`);
    if (op !== 'list' && (typeof a.key !== 'string' || a.key === '')) throw BadRequest('Request decode failed: Key is required');
    const m = membership();
    if (!m?.keyring) throw BadRequest('this server has no gossip membership to run keyring operations');
    return m.keyring(op, typeof a.key === 'string' ? a.key : '', false, pools as ('lan' | 'wan')[]);
  };
  return [
    {
      name: KEYRING_LIST,
      leaderOnly: false,
      access: { resource: 'keyring', access: 'read' },
      handle: (args) => run(args, false),
    },
    {
      name: KEYRING_CHANGE,
      leaderOnly: false,
      access: { resource: 'keyring', access: 'write' },
      handle: (args) => run(args, true),
    },
  ];
}
