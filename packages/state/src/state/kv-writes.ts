import { TABLE } from './index-table.js';
import { kvRow, ownString, packValue, type KvRow } from './kv-row.js';
import { CommandRejected } from './state-errors.js';
import { scanPrefix } from './table-keys.js';
import type { WriteContext } from './write-context.js';

/**
 * KV write operations with Consul's semantics. Each validates before it mutates, so a
 * failing one leaves the tables untouched (no rollback needed on the hot path).
 */

function store(ctx: WriteContext, entry: KvRow): void {
  ctx.t.kv.put(entry);
  ctx.bump(TABLE.kvs);
  ctx.kvTouched(entry.Key);
}

/** Plain PUT: keeps the lock holder and LockIndex of an existing entry. */
export function kvSet(ctx: WriteContext, key: string, value: Uint8Array | null, flags = 0): void {
  const old = ctx.t.kv.get(key);
  store(
    ctx,
    kvRow(
      old?.Key ?? ownString(key),
      packValue(value),
      flags,
      old?.Session ?? '',
      old?.LockIndex ?? 0,
      old?.CreateIndex ?? ctx.index,
      ctx.index,
    ),
  );
}

/** `cas=0` creates only; `cas=N` writes only when ModifyIndex is N. */
export function kvCas(ctx: WriteContext, key: string, value: Uint8Array | null, flags: number, cas: number): boolean {
  const old = ctx.t.kv.get(key);
  if (cas === 0 ? old !== undefined : old?.ModifyIndex !== cas) return false;
  kvSet(ctx, key, value, flags);
  return true;
}

/** Delete, leaving a tombstone so prefix reads see the index move. No-op when absent. */
export function kvDelete(ctx: WriteContext, key: string): boolean {
  const old = ctx.t.kv.remove(key);
  if (!old) return false;
  ctx.t.kv.tombstones.set(old.Key, ctx.index); // the row's own copy of the key, not the command's
  ctx.bump(TABLE.kvs);
  ctx.bump(TABLE.tombstones);
  ctx.kvTouched(key);
  return true;
}

/** Delete when ModifyIndex matches; a missing key counts as already deleted (Consul returns true). */
export function kvDeleteCas(ctx: WriteContext, key: string, cas: number): boolean {
  const old = ctx.t.kv.get(key);
  if (!old) return true;
  if (old.ModifyIndex !== cas) return false;
  kvDelete(ctx, key);
  return true;
}

export function kvDeleteTree(ctx: WriteContext, prefix: string): number {
  const keys = [...scanPrefix(ctx.t.kv.entries, prefix)].map(([k]) => k);
  for (const k of keys) kvDelete(ctx, k);
  return keys.length;
}

/**
 * Acquire. False when another session holds the key or its lock-delay has not expired
 * (`now` is the leader's clock). Re-acquiring by the holder updates the value without
 * bumping LockIndex; a new holder bumps it.
 */
export function kvLock(
  ctx: WriteContext,
  key: string,
  value: Uint8Array | null,
  flags: number,
  session: string,
  now: number,
): boolean {
  if (!ctx.t.sessions.get(session)) throw CommandRejected(`invalid session "${session}"`);
  const old = ctx.t.kv.get(key);
  if (old?.Session === session) {
    store(ctx, kvRow(old.Key, packValue(value), flags, old.Session, old.LockIndex, old.CreateIndex, ctx.index));
    return true;
  }
  if (old?.Session) return false;
  const delayUntil = ctx.t.kv.lockDelays.get(key);
  if (delayUntil !== undefined) {
    if (now < delayUntil) return false;
    ctx.t.kv.lockDelays.delete(key); // expired: drop it so the table only holds live delays
  }
  store(
    ctx,
    kvRow(
      old?.Key ?? ownString(key),
      packValue(value),
      flags,
      ownString(session),
      (old?.LockIndex ?? 0) + 1,
      old?.CreateIndex ?? ctx.index,
      ctx.index,
    ),
  );
  return true;
}

/** Release. False when `session` does not hold the key. */
export function kvUnlock(ctx: WriteContext, key: string, value: Uint8Array | null, flags: number, session: string): boolean {
  const old = ctx.t.kv.get(key);
  if (!old || old.Session !== session) return false;
  store(ctx, kvRow(old.Key, packValue(value), flags, '', old.LockIndex, old.CreateIndex, ctx.index));
  return true;
}

/** Drop tombstones at or below `index`; returns how many. */
export function reapTombstones(ctx: WriteContext, index: number): number {
  const dead: string[] = [];
  for (const [k, idx] of ctx.t.kv.tombstones.entries()) if (idx <= index) dead.push(k);
  for (const k of dead) ctx.t.kv.tombstones.delete(k);
  if (dead.length > 0) ctx.bump(TABLE.tombstones);
  return dead.length;
}
