import {
  aclBootstrap,
  aclPolicyDelete,
  aclPolicySet,
  aclRoleDelete,
  aclRoleSet,
  aclTokenDelete,
  aclTokenSet,
} from './acl-writes.js';
import { applyDeregister, applyRegister } from './catalog-apply.js';
import type { Command, CommandType } from '@proconsul/kernel';
import { kvCas, kvDelete, kvDeleteCas, kvDeleteTree, kvLock, kvSet, kvUnlock, reapTombstones } from './kv-writes.js';
import { coordinateBatch, systemMetaSet } from './misc-writes.js';
import { sessionCreate, sessionInvalidate } from './session-writes.js';
import { applyTxn } from './txn-apply.js';
import type { WriteContext } from './write-context.js';
import { CommandInvalid } from './state-errors.js';
import { configEntryDelete, configEntrySet } from './config-entry-writes.js';
import { preparedQueryDelete, preparedQuerySet } from './prepared-query-writes.js';

/**
 * Commands whose writers validate fully before mutating; everything else may fail
 * part-way and is applied to a cloned version that is dropped on failure.
 */
export const SINGLE_STEP: ReadonlySet<CommandType> = new Set<CommandType>([
  'kv-set',
  'kv-cas',
  'kv-delete',
  'kv-delete-cas',
  'kv-delete-tree',
  'kv-lock',
  'kv-unlock',
  'tombstone-reap',
  'coordinate-batch',
  'system-meta-set',
  'acl-token-delete',
  'acl-policy-delete',
  'acl-role-delete',
  'config-entry-set',
  'config-entry-delete',
  'prepared-query-set',
  'prepared-query-delete',
]);

/** Apply one decoded command; returns its result or throws a coded rejection. */
export function applyCommand(ctx: WriteContext, cmd: Command): unknown {
  switch (cmd.type) {
    case 'register':
      return applyRegister(ctx, cmd);
    case 'deregister':
      return applyDeregister(ctx, cmd);
    case 'kv-set':
      kvSet(ctx, cmd.Key, cmd.Value ?? null, cmd.Flags ?? 0);
      return true;
    case 'kv-cas':
      return kvCas(ctx, cmd.Key, cmd.Value ?? null, cmd.Flags ?? 0, cmd.Index);
    case 'kv-delete':
      kvDelete(ctx, cmd.Key);
      return true;
    case 'kv-delete-cas':
      return kvDeleteCas(ctx, cmd.Key, cmd.Index);
    case 'kv-delete-tree':
      kvDeleteTree(ctx, cmd.Prefix);
      return true;
    case 'kv-lock':
      return kvLock(ctx, cmd.Key, cmd.Value ?? null, cmd.Flags ?? 0, cmd.Session, cmd.now);
    case 'kv-unlock':
      return kvUnlock(ctx, cmd.Key, cmd.Value ?? null, cmd.Flags ?? 0, cmd.Session);
    case 'tombstone-reap':
      return reapTombstones(ctx, cmd.Index);
    case 'session-create':
      return sessionCreate(ctx, cmd.Session);
    case 'session-destroy':
      sessionInvalidate(ctx, cmd.ID, cmd.now);
      return true;
    case 'txn':
      return applyTxn(ctx, cmd);
    case 'acl-token-set':
      return aclTokenSet(ctx, cmd.Token);
    case 'acl-token-delete':
      return aclTokenDelete(ctx, cmd.AccessorID);
    case 'acl-policy-set':
      return aclPolicySet(ctx, cmd.Policy);
    case 'acl-policy-delete':
      return aclPolicyDelete(ctx, cmd.ID);
    case 'acl-role-set':
      return aclRoleSet(ctx, cmd.Role);
    case 'acl-role-delete':
      return aclRoleDelete(ctx, cmd.ID);
    case 'acl-bootstrap':
      return aclBootstrap(ctx, cmd);
    case 'coordinate-batch':
      coordinateBatch(ctx, cmd.Updates);
      return true;
    case 'system-meta-set':
      return systemMetaSet(ctx, cmd.Key, cmd.Value, {
        ...(cmd.Stamp ? { stamp: true } : {}),
        ...(cmd.Cas !== undefined ? { cas: cmd.Cas } : {}),
      });
    case 'config-entry-set':
      return configEntrySet(ctx, cmd.Entry, cmd.Cas);
    case 'config-entry-delete':
      return configEntryDelete(ctx, cmd.Kind, cmd.Name, cmd.Cas);
    case 'prepared-query-set':
      return preparedQuerySet(ctx, cmd.Query, cmd.Create);
    case 'prepared-query-delete':
      return preparedQueryDelete(ctx, cmd.ID);
    case 'request':
      // StateStore.apply unwraps these; one nested in another command is refused.
      throw CommandInvalid('request: nested request');
  }
}
