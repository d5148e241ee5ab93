import type { TxnKvOp, TxnResult } from '@proconsul/kernel';
import { toDirEntry, type KvRow } from './kv-row.js';
import { kvCas, kvDelete, kvDeleteCas, kvDeleteTree, kvLock, kvSet, kvUnlock } from './kv-writes.js';
import { CommandRejected } from './state-errors.js';
import { scanPrefix } from './table-keys.js';
import type { WriteContext } from './write-context.js';

/** Writes echo the entry without its value (as Consul does); reads carry it. */
function noValue(e: KvRow): TxnResult {
  return { KV: toDirEntry(e, false) };
}

function mustGet(ctx: WriteContext, key: string): KvRow {
  const e = ctx.t.kv.get(key);
  if (!e) throw CommandRejected(`key "${key}" doesn't exist`);
  return e;
}

/** One KV op of a transaction; throws CommandRejected with Consul's wording when it fails. */
export function txnKvOp(ctx: WriteContext, op: TxnKvOp, now: number): TxnResult[] {
  const value = op.Value ?? null;
  const flags = op.Flags ?? 0;
  const key = op.Key;
  switch (op.Verb) {
    case 'set':
      kvSet(ctx, key, value, flags);
      return [noValue(mustGet(ctx, key))];
    case 'cas':
      if (!kvCas(ctx, key, value, flags, op.Index ?? 0)) throw CommandRejected(`failed to set key "${key}", index is stale`);
      return [noValue(mustGet(ctx, key))];
    case 'lock':
      if (!kvLock(ctx, key, value, flags, op.Session ?? '', now)) {
        throw CommandRejected(`failed to lock key "${key}", lock is already held`);
      }
      return [noValue(mustGet(ctx, key))];
    case 'unlock':
      if (!kvUnlock(ctx, key, value, flags, op.Session ?? '')) {
        throw CommandRejected(`failed to unlock key "${key}", lock isn't held, or is held by another session`);
      }
      return [noValue(mustGet(ctx, key))];
    case 'get':
      return [{ KV: toDirEntry(mustGet(ctx, key)) }];
    case 'get-tree':
      return [...scanPrefix(ctx.t.kv.entries, key)].map(([, e]) => ({ KV: toDirEntry(e) }));
    case 'check-index': {
      const e = mustGet(ctx, key);
      if (e.ModifyIndex !== op.Index) throw CommandRejected(`current modify index ${e.ModifyIndex} != ${op.Index ?? 0}`);
      return [noValue(e)];
    }
    case 'check-session': {
      const e = mustGet(ctx, key);
      if (e.Session !== (op.Session ?? '')) {
        throw CommandRejected(`failed session check for key "${key}", current session "${e.Session}" != "${op.Session ?? ''}"`);
      }
      return [noValue(e)];
    }
    case 'check-not-exists':
      if (ctx.t.kv.get(key)) throw CommandRejected(`key "${key}" exists`);
      return [];
    case 'delete':
      kvDelete(ctx, key);
      return [];
    case 'delete-cas':
      if (!kvDeleteCas(ctx, key, op.Index ?? 0)) throw CommandRejected(`failed to delete key "${key}", index is stale`);
      return [];
    case 'delete-tree':
      kvDeleteTree(ctx, key);
      return [];
    default:
      throw CommandRejected(`unknown KV verb "${String((op as { Verb: unknown }).Verb)}"`);
  }
}
