import { DEFAULT_LOCK_DELAY_NS, SERF_HEALTH_CHECK_ID, type Session, type SessionInput } from '@proconsul/kernel';
import { TABLE } from './index-table.js';
import { kvRow } from './kv-row.js';
import { kvDelete } from './kv-writes.js';
import { deleteQueriesOfSession } from './prepared-query-writes.js';
import { linkedChecks } from './session-table.js';
import { CommandRejected } from './state-errors.js';
import type { WriteContext } from './write-context.js';

/** Create a session linked to its node and checks; every linked check must exist and not be critical. */
export function sessionCreate(ctx: WriteContext, input: SessionInput): string {
  const { t } = ctx;
  if (!input.ID) throw CommandRejected('session ID is required');
  if (t.sessions.get(input.ID)) throw CommandRejected(`session "${input.ID}" already exists`);
  if (!t.catalog.nodes.get(input.Node)) throw CommandRejected(`Missing node registration: ${input.Node}`);
  const nodeChecks = input.NodeChecks ?? input.Checks ?? (input.ServiceChecks?.length ? [] : [SERF_HEALTH_CHECK_ID]);
  const session: Session = {
    ID: input.ID,
    Name: input.Name ?? '',
    Node: input.Node,
    LockDelay: input.LockDelay ?? DEFAULT_LOCK_DELAY_NS,
    Behavior: input.Behavior ?? 'release',
    TTL: input.TTL ?? '',
    NodeChecks: [...new Set(nodeChecks)],
    ServiceChecks: input.ServiceChecks?.length ? input.ServiceChecks.map((c) => ({ ...c })) : null,
    CreateIndex: ctx.index,
    ModifyIndex: ctx.index,
  };
  if (session.Behavior !== 'release' && session.Behavior !== 'delete') {
    throw CommandRejected(`Invalid Behavior setting '${String(session.Behavior)}'`);
  }
  for (const id of linkedChecks(session)) {
    const check = t.catalog.getCheck(session.Node, id);
    if (!check) throw CommandRejected(`Missing check '${id}' registration`);
    if (check.Status === 'critical') throw CommandRejected(`Check '${id}' is in critical state`);
  }
  t.sessions.put(session);
  ctx.bump(TABLE.sessions);
  return session.ID;
}

/**
 * Destroy a session: release (or, with Behavior delete, delete) every key it holds and
 * start each key's lock-delay at `now` + LockDelay. Unknown IDs are a no-op.
 */
export function sessionInvalidate(ctx: WriteContext, id: string, now: number): boolean {
  const { t } = ctx;
  const session = t.sessions.remove(id);
  if (!session) return false;
  ctx.bump(TABLE.sessions);
  deleteQueriesOfSession(ctx, id);
  const delayMs = session.LockDelay / 1e6;
  for (const key of t.kv.keysHeldBy(id)) {
    if (delayMs > 0) t.kv.lockDelays.set(key, now + delayMs);
    if (session.Behavior === 'delete') {
      kvDelete(ctx, key);
    } else {
      const old = t.kv.get(key)!;
      t.kv.put(kvRow(old.Key, old.stored, old.Flags, '', old.LockIndex, old.CreateIndex, ctx.index));
      ctx.bump(TABLE.kvs);
      ctx.kvTouched(key);
    }
  }
  return true;
}

export function invalidateSessionsOfCheck(ctx: WriteContext, node: string, checkId: string, now: number): void {
  for (const id of ctx.t.sessions.idsLinkedTo(node, checkId)) sessionInvalidate(ctx, id, now);
}

export function invalidateSessionsOfNode(ctx: WriteContext, node: string, now: number): void {
  for (const id of ctx.t.sessions.idsOfNode(node)) sessionInvalidate(ctx, id, now);
}
