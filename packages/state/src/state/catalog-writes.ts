import {
  DEFAULT_WEIGHTS,
  type CheckInput,
  type HealthCheck,
  type Node,
  type NodeService,
  type ServiceInput,
} from '@proconsul/kernel';
import { sameContent } from './deep-equal.js';
import { TABLE } from './index-table.js';
import { invalidateSessionsOfCheck, invalidateSessionsOfNode } from './session-writes.js';
import { CommandRejected } from './state-errors.js';
import type { WriteContext } from './write-context.js';

/**
 * Catalog writes. Identical re-registrations (anti-entropy does many) change nothing and
 * wake nobody. May throw CommandRejected part-way: callers run them on a cloned version
 * they can drop (see StateStore.apply).
 */

export type NodeInput = Omit<Node, 'CreateIndex' | 'ModifyIndex'>;

export function ensureNode(ctx: WriteContext, input: NodeInput): Node {
  if (!input.Node) throw CommandRejected('Must provide node');
  const old = ctx.t.catalog.nodes.get(input.Node);
  const node: Node = { ...input, CreateIndex: old?.CreateIndex ?? ctx.index, ModifyIndex: ctx.index };
  if (sameContent(old, node)) return old!;
  ctx.t.catalog.putNode(node);
  ctx.bump(TABLE.nodes);
  ctx.bumpServicesOfNode(node.Node);
  return node;
}

export function ensureService(ctx: WriteContext, nodeName: string, input: ServiceInput): NodeService {
  if (!input.Service) throw CommandRejected('Must provide service name');
  if (!ctx.t.catalog.nodes.get(nodeName)) throw CommandRejected(`Missing node registration: ${nodeName}`);
  const id = input.ID || input.Service;
  const old = ctx.t.catalog.getService(nodeName, id);
  const svc: NodeService = {
    ID: id,
    Service: input.Service,
    Kind: input.Kind ?? '',
    Tags: input.Tags ?? [],
    Address: input.Address ?? '',
    TaggedAddresses: input.TaggedAddresses ?? {},
    Meta: input.Meta ?? {},
    Port: input.Port ?? 0,
    Weights: input.Weights ?? { ...DEFAULT_WEIGHTS },
    EnableTagOverride: input.EnableTagOverride ?? false,
    CreateIndex: old?.CreateIndex ?? ctx.index,
    ModifyIndex: ctx.index,
  };
  if (sameContent(old, svc)) return old!;
  ctx.t.catalog.putService(nodeName, svc);
  ctx.bump(TABLE.services);
  ctx.bumpService(svc.Service);
  if (old && old.Service !== svc.Service) ctx.serviceRemoved(old.Service);
  return svc;
}

export function ensureCheck(ctx: WriteContext, nodeName: string, input: CheckInput, now: number): HealthCheck {
  const node = input.Node || nodeName;
  const checkId = input.CheckID || input.Name;
  if (!checkId) throw CommandRejected('Must provide check ID or name');
  if (!ctx.t.catalog.nodes.get(node)) throw CommandRejected(`Missing node registration: ${node}`);
  let serviceName = '';
  let serviceTags: string[] = [];
  if (input.ServiceID) {
    const svc = ctx.t.catalog.getService(node, input.ServiceID);
    if (!svc) throw CommandRejected(`Missing service registration: ${input.ServiceID}`);
    serviceName = svc.Service;
    serviceTags = svc.Tags;
  }
  const old = ctx.t.catalog.getCheck(node, checkId);
  const check: HealthCheck = {
    Node: node,
    CheckID: checkId,
    Name: input.Name || checkId,
    Status: input.Status || 'critical', // Consul: a check is critical until proven otherwise
    Notes: input.Notes ?? '',
    Output: input.Output ?? '',
    ServiceID: input.ServiceID ?? '',
    ServiceName: serviceName,
    ServiceTags: serviceTags,
    Type: input.Type ?? '',
    ...(input.Interval !== undefined ? { Interval: input.Interval } : {}),
    ...(input.Timeout !== undefined ? { Timeout: input.Timeout } : {}),
    Definition: input.Definition ?? {},
    CreateIndex: old?.CreateIndex ?? ctx.index,
    ModifyIndex: ctx.index,
  };
  if (!['passing', 'warning', 'critical', 'maintenance'].includes(check.Status)) {
    throw CommandRejected(`Invalid check status: "${check.Status}"`);
  }
  if (sameContent(old, check)) return old!;
  ctx.t.catalog.putCheck(check);
  ctx.bump(TABLE.checks);
  touchCheckReaders(ctx, check, old);
  if (check.Status === 'critical') invalidateSessionsOfCheck(ctx, node, checkId, now);
  return check;
}

function touchCheckReaders(ctx: WriteContext, check: HealthCheck, old: HealthCheck | undefined): void {
  if (check.ServiceName) ctx.bumpService(check.ServiceName);
  else ctx.bumpServicesOfNode(check.Node);
  if (old?.ServiceName && old.ServiceName !== check.ServiceName) ctx.bumpService(old.ServiceName);
}

export function deleteCheck(ctx: WriteContext, node: string, checkId: string, now: number): boolean {
  const old = ctx.t.catalog.removeCheck(node, checkId);
  if (!old) return false;
  ctx.bump(TABLE.checks);
  if (old.ServiceName) ctx.bumpService(old.ServiceName);
  else ctx.bumpServicesOfNode(node);
  invalidateSessionsOfCheck(ctx, node, checkId, now);
  return true;
}

/** Remove a service instance and its checks. */
export function deleteService(ctx: WriteContext, node: string, serviceId: string, now: number): boolean {
  const svc = ctx.t.catalog.getService(node, serviceId);
  if (!svc) return false;
  const ids = [...ctx.t.catalog.checksOfNode(node)].filter((c) => c.ServiceID === serviceId).map((c) => c.CheckID);
  for (const id of ids) deleteCheck(ctx, node, id, now);
  ctx.t.catalog.removeService(node, serviceId);
  ctx.bump(TABLE.services);
  ctx.serviceRemoved(svc.Service);
  return true;
}

/** Remove a node with its services, checks, sessions and coordinates. */
export function deleteNode(ctx: WriteContext, node: string, now: number): boolean {
  if (!ctx.t.catalog.nodes.get(node)) return false;
  invalidateSessionsOfNode(ctx, node, now);
  for (const c of [...ctx.t.catalog.checksOfNode(node)]) deleteCheck(ctx, node, c.CheckID, now);
  for (const s of [...ctx.t.catalog.servicesOfNode(node)]) deleteService(ctx, node, s.ID, now);
  if (ctx.t.coordinates.removeNode(node) > 0) ctx.bump(TABLE.coordinates);
  ctx.t.catalog.removeNode(node);
  ctx.bump(TABLE.nodes);
  return true;
}
