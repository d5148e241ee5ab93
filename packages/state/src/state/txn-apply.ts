import { isCoded, type TxnCommand, type TxnError, type TxnResponse, type TxnResult } from '@proconsul/kernel';
import { sessionInvalidate } from './session-writes.js';
import { CommandRejected } from './state-errors.js';
import { txnCheckOp, txnNodeOp, txnServiceOp } from './txn-catalog-ops.js';
import { txnKvOp } from './txn-kv-ops.js';
import type { WriteContext } from './write-context.js';

/**
 * Run every op, collecting results and, like Consul, every error (not just the first).
 * When `Errors` is non-null the caller must discard the version `ctx` wrote to: the
 * transaction is all or nothing.
 */
export function applyTxn(ctx: WriteContext, cmd: TxnCommand): TxnResponse {
  const results: TxnResult[] = [];
  const errors: TxnError[] = [];
  cmd.Ops.forEach((op, i) => {
    try {
      if (op.KV) results.push(...txnKvOp(ctx, op.KV, cmd.now));
      else if (op.Node) results.push(...txnNodeOp(ctx, op.Node, cmd.now));
      else if (op.Service) results.push(...txnServiceOp(ctx, op.Service, cmd.now));
      else if (op.Check) results.push(...txnCheckOp(ctx, op.Check, cmd.now));
      else if (op.Session?.Verb === 'delete') sessionInvalidate(ctx, op.Session.Session.ID, cmd.now);
      else throw CommandRejected('operation has no KV, Node, Service, Check or Session member');
    } catch (err) {
      if (!isCoded(err)) throw err;
      errors.push({ OpIndex: i, What: err.message });
    }
  });
  return errors.length > 0 ? { Results: null, Errors: errors } : { Results: results, Errors: null };
}
