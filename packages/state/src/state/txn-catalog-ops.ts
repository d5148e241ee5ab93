import type { TxnCatalogVerb, TxnCheckOp, TxnNodeOp, TxnResult, TxnServiceOp } from '@proconsul/kernel';
import { deleteCheck, deleteNode, deleteService, ensureCheck, ensureNode, ensureService } from './catalog-writes.js';
import { CommandRejected } from './state-errors.js';
import type { WriteContext } from './write-context.js';

/** cas on a missing row passes only for index 0 (create); on an existing one only for its ModifyIndex. */
function casOk(current: { ModifyIndex: number } | undefined, index: number | undefined): boolean {
  return current ? current.ModifyIndex === index : (index ?? 0) === 0;
}

function unknownVerb(verb: TxnCatalogVerb): never {
  throw CommandRejected(`unknown verb "${String(verb)}"`);
}

export function txnNodeOp(ctx: WriteContext, op: TxnNodeOp, now: number): TxnResult[] {
  const n = op.Node;
  const current = ctx.t.catalog.nodes.get(n.Node);
  const write = () => {
    const node = ensureNode(ctx, {
      ID: n.ID ?? current?.ID ?? '',
      Node: n.Node,
      Address: n.Address ?? '',
      Datacenter: n.Datacenter ?? current?.Datacenter ?? '',
      TaggedAddresses: n.TaggedAddresses ?? {},
      Meta: n.Meta ?? {},
    });
    return [{ Node: node }];
  };
  switch (op.Verb) {
    case 'set':
      return write();
    case 'cas':
      if (!casOk(current, n.ModifyIndex)) throw CommandRejected(`failed to set node "${n.Node}", index is stale`);
      return write();
    case 'get':
      if (!current) throw CommandRejected(`node "${n.Node}" doesn't exist`);
      return [{ Node: current }];
    case 'delete':
      deleteNode(ctx, n.Node, now);
      return [];
    case 'delete-cas':
      if (current && current.ModifyIndex !== n.ModifyIndex)
        throw CommandRejected(`failed to delete node "${n.Node}", index is stale`);
      deleteNode(ctx, n.Node, now);
      return [];
    default:
      return unknownVerb(op.Verb);
  }
}

export function txnServiceOp(ctx: WriteContext, op: TxnServiceOp, now: number): TxnResult[] {
  const id = op.Service.ID || op.Service.Service;
  const current = ctx.t.catalog.getService(op.Node, id);
  switch (op.Verb) {
    case 'set':
      return [{ Service: ensureService(ctx, op.Node, op.Service) }];
    case 'cas':
      if (!casOk(current, op.Service.ModifyIndex)) throw CommandRejected(`failed to set service "${id}", index is stale`);
      return [{ Service: ensureService(ctx, op.Node, op.Service) }];
    case 'get':
      if (!current) throw CommandRejected(`service "${id}" doesn't exist on node "${op.Node}"`);
      return [{ Service: current }];
    case 'delete':
      deleteService(ctx, op.Node, id, now);
      return [];
    case 'delete-cas':
      if (current && current.ModifyIndex !== op.Service.ModifyIndex)
        throw CommandRejected(`failed to delete service "${id}", index is stale`);
      deleteService(ctx, op.Node, id, now);
      return [];
    default:
      return unknownVerb(op.Verb);
  }
}

export function txnCheckOp(ctx: WriteContext, op: TxnCheckOp, now: number): TxnResult[] {
  const c = op.Check;
  const id = c.CheckID || c.Name;
  const current = ctx.t.catalog.getCheck(c.Node, id);
  switch (op.Verb) {
    case 'set':
      return [{ Check: ensureCheck(ctx, c.Node, c, now) }];
    case 'cas':
      if (!casOk(current, c.ModifyIndex)) throw CommandRejected(`failed to set check "${id}", index is stale`);
      return [{ Check: ensureCheck(ctx, c.Node, c, now) }];
    case 'get':
      if (!current) throw CommandRejected(`check "${id}" doesn't exist on node "${c.Node}"`);
      return [{ Check: current }];
    case 'delete':
      deleteCheck(ctx, c.Node, id, now);
      return [];
    case 'delete-cas':
      if (current && current.ModifyIndex !== c.ModifyIndex)
        throw CommandRejected(`failed to delete check "${id}", index is stale`);
      deleteCheck(ctx, c.Node, id, now);
      return [];
    default:
      return unknownVerb(op.Verb);
  }
}
