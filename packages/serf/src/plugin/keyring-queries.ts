import type { GossipEncryption, KeyringOp, KeyringPoolResult, Logger, MembershipEvent } from '@proconsul/kernel';
import type { Serf } from '../serf/serf.js';
import { decodeSerf, encodePayload } from '../serf/serf-messages.js';

/** serf's internal query names for keyring management (reserved: never shown to listeners). */
const QUERY: Record<KeyringOp, string> = {
  list: '_serf_list-keys',
  install: '_serf_install-key',
  use: '_serf_use-key',
  remove: '_serf_remove-key',
};
const INTERNAL_PREFIX = '_serf_';

/** One member's answer (serf's nodeKeyResponse). */
interface KeyResponse {
  Result: boolean;
  Message: string;
  Keys: string[];
  PrimaryKey: string;
}

export function isInternalQuery(name: string): boolean {
  return name.startsWith(INTERNAL_PREFIX);
}

/**
 * Applies a keyring query to this member's keyring and answers it. Idempotent, because
 * the asker has already applied the change to itself and its own query reaches it too:
 * installing a present key and removing an absent one succeed; using a key that is not
 * installed fails (that member could not read the pool once everyone switched).
 */
export async function answerKeyringQuery(
  keyring: GossipEncryption | undefined,
  e: Extract<MembershipEvent, { type: 'query' }>,
  log: Logger,
): Promise<void> {
  const op = (Object.keys(QUERY) as KeyringOp[]).find((k) => QUERY[k] === e.name);
  if (!op) return;
  const r: KeyResponse = { Result: true, Message: '', Keys: [], PrimaryKey: '' };
  try {
    if (!keyring) throw new Error('gossip encryption is not enabled on this member');
    const key = op === 'list' ? '' : Buffer.from(e.payload).toString('utf8');
    const before = keyring.listKeys();
    if (op === 'install') await keyring.installKey(key);
    else if (op === 'use') await keyring.useKey(key);
    else if (op === 'remove' && before.keys.includes(key)) await keyring.removeKey(key);
    const now = keyring.listKeys();
    r.Keys = [...now.keys];
    r.PrimaryKey = now.primary;
    if (op !== 'list') log.info('keyring changed by a cluster-wide request', { op });
  } catch (err) {
    r.Result = false;
    r.Message = (err as Error).message;
  }
  await e.respond(encodePayload(r)).catch((err: unknown) => log.warn('keyring answer not sent', { error: err }));
}

/**
 * Asks every member of `serf`'s pool to apply `op` and tallies the answers. Alive members
 * that stayed silent are asked once more, by name: answers travel as single datagrams,
 * and every keyring operation is idempotent, so a second ask is safe and cheap.
 */
export async function keyringQuery(serf: Serf, op: KeyringOp, key: string): Promise<KeyringPoolResult> {
  const members = serf.members().filter((m) => m.status !== 'left');
  const alive = members.filter((m) => m.status === 'alive' || m.status === 'leaving').map((m) => m.name);
  const payload = Buffer.from(op === 'list' ? '' : key, 'utf8');
  const first = await serf.query(QUERY[op], payload, { expectedResponses: alive.length });
  const silent = alive.filter((n) => !first.responses.some((r) => r.from === n));
  const again =
    silent.length > 0
      ? await serf.query(QUERY[op], payload, { filters: { nodes: silent }, expectedResponses: silent.length })
      : { responses: [] };
  const res = { responses: [...first.responses, ...again.responses.filter((r) => silent.includes(r.from))] };
  const out = {
    pool: serf.pool,
    numNodes: members.length,
    numResp: 0,
    numErr: 0,
    messages: {} as Record<string, string>,
    keys: {} as Record<string, number>,
    primaryKeys: {} as Record<string, number>,
  };
  for (const { from, payload: p } of res.responses) {
    const r = decodeSerf<KeyResponse>(p);
    out.numResp++;
    if (!r || r.Result !== true) {
      out.numErr++;
      out.messages[from] = r?.Message || 'malformed answer';
      continue;
    }
    for (const k of r.Keys ?? []) out.keys[k] = (out.keys[k] ?? 0) + 1;
    if (r.PrimaryKey) out.primaryKeys[r.PrimaryKey] = (out.primaryKeys[r.PrimaryKey] ?? 0) + 1;
  }
  return out;
}
