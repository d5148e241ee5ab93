import { deleteCheck, deleteNode, deleteService, ensureCheck, ensureNode, ensureService } from './catalog-writes.js';
import type { DeregisterCommand, RegisterCommand } from '@proconsul/kernel';
import type { WriteContext } from './write-context.js';

/** Consul's RegisterRequest: node (unless SkipNodeUpdate on an existing node), then service, then checks. */
export function applyRegister(ctx: WriteContext, cmd: RegisterCommand): true {
  const existing = ctx.t.catalog.nodes.get(cmd.Node);
  if (!cmd.SkipNodeUpdate || !existing) {
    ensureNode(ctx, {
      ID: cmd.ID || existing?.ID || '',
      Node: cmd.Node,
      Address: cmd.Address,
      Datacenter: cmd.Datacenter ?? existing?.Datacenter ?? '',
      TaggedAddresses: cmd.TaggedAddresses ?? {},
      Meta: cmd.NodeMeta ?? {},
    });
  }
  if (cmd.Service) ensureService(ctx, cmd.Node, cmd.Service);
  const checks = [...(cmd.Check ? [cmd.Check] : []), ...(cmd.Checks ?? [])];
  for (const check of checks) ensureCheck(ctx, cmd.Node, check, cmd.now);
  return true;
}

/** Deregister a service (with its checks), else a check, else the whole node. Missing targets are a no-op. */
export function applyDeregister(ctx: WriteContext, cmd: DeregisterCommand): true {
  if (cmd.ServiceID) deleteService(ctx, cmd.Node, cmd.ServiceID, cmd.now);
  else if (cmd.CheckID) deleteCheck(ctx, cmd.Node, cmd.CheckID, cmd.now);
  else deleteNode(ctx, cmd.Node, cmd.now);
  return true;
}
