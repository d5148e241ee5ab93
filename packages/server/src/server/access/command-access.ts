import {
  PermissionDenied,
  type AclAccess,
  type AclResource,
  type Authorization,
  type CheckInput,
  type Command,
  type DeregisterCommand,
  type HealthCheck,
  type Node,
  type NodeService,
  type RegisterCommand,
  type TxnOp,
} from '@proconsul/kernel';
import { deepEqual, type StateReaders } from '@proconsul/state';
import { configEntryWriteNeeds } from './config-entry-access.js';
import { vetPreparedQueryWrite } from './prepared-query-access.js';

function need(a: Authorization, resource: AclResource, segment: string, access: AclAccess): void {
  if (!a.allowed(resource, segment, access)) throw PermissionDenied(`token lacks '${resource}:${access}' on "${segment}"`);
}

interface NodeView {
  node: Node | undefined;
  services: Map<string, NodeService>;
  checks: Map<string, HealthCheck>;
}

function nodeView(r: StateReaders, name: string): NodeView {
  const ns = r.catalog.nodeServices(name).value;
  return {
    node: ns?.Node,
    services: new Map((ns?.Services ?? []).map((s) => [s.ID, s])),
    checks: new Map(r.health.nodeChecks(name).value.map((c) => [c.CheckID, c])),
  };
}

/** Whether applying `cmd` would change the stored node's own fields (Consul's ChangesNode). */
function changesNode(cmd: RegisterCommand, node: Node | undefined): boolean {
  if (!node) return true;
  if (cmd.SkipNodeUpdate) return false;
  return (
    (cmd.ID !== undefined && cmd.ID !== node.ID) ||
    cmd.Address !== node.Address ||
    (cmd.TaggedAddresses !== undefined && !deepEqual(cmd.TaggedAddresses, node.TaggedAddresses)) ||
    (cmd.NodeMeta !== undefined && !deepEqual(cmd.NodeMeta, node.Meta))
  );
}

/**
 * Catalog registration, as Consul vets it: node write only when the node is new or its
 * fields change (so an agent can re-post its node with a service token), service write
 * on the service and on any service of that ID it replaces, and for each check node
 * write (node checks) or service write (service checks).
 */
function vetRegister(a: Authorization, r: StateReaders, cmd: RegisterCommand): void {
  const v = nodeView(r, cmd.Node);
  if (changesNode(cmd, v.node)) need(a, 'node', cmd.Node, 'write');
  const svc = cmd.Service;
  if (svc) {
    need(a, 'service', svc.Service, 'write');
    const replaced = v.services.get(svc.ID || svc.Service);
    if (replaced && replaced.Service !== svc.Service) need(a, 'service', replaced.Service, 'write');
  }
  const checks: CheckInput[] = [...(cmd.Check ? [cmd.Check] : []), ...(cmd.Checks ?? [])];
  for (const c of checks) {
    if (!c.ServiceID) {
      need(a, 'node', cmd.Node, 'write');
      continue;
    }
    if (svc && (svc.ID || svc.Service) === c.ServiceID) continue;
    const other = v.services.get(c.ServiceID);
    // An unknown service ID is the FSM's error to report; authorize it as the node's.
    if (other) need(a, 'service', other.Service, 'write');
    else need(a, 'node', cmd.Node, 'write');
  }
}

/** Deregistration: node write allows everything on the node; otherwise the service's (or check's service's) write. */
function vetDeregister(a: Authorization, r: StateReaders, cmd: DeregisterCommand): void {
  if (a.allowed('node', cmd.Node, 'write')) return;
  const v = nodeView(r, cmd.Node);
  if (cmd.ServiceID) {
    const s = v.services.get(cmd.ServiceID);
    if (s) return need(a, 'service', s.Service, 'write');
  } else if (cmd.CheckID) {
    const c = v.checks.get(cmd.CheckID);
    if (c?.ServiceName) return need(a, 'service', c.ServiceName, 'write');
  }
  throw PermissionDenied(`token lacks 'node:write' on "${cmd.Node}"`);
}

function sessionNode(r: StateReaders, id: string): string | undefined {
  return r.sessions.get(id).value?.Node;
}

function vetTxnOp(a: Authorization, r: StateReaders, op: TxnOp): void {
  if (op.KV) {
    const reads = op.KV.Verb.startsWith('get') || op.KV.Verb.startsWith('check');
    need(a, 'key', op.KV.Key, reads ? 'read' : 'write');
  }
  if (op.Node) need(a, 'node', op.Node.Node.Node, op.Node.Verb === 'get' ? 'read' : 'write');
  if (op.Service) {
    need(a, 'service', op.Service.Service.Service, op.Service.Verb === 'get' ? 'read' : 'write');
    if (op.Service.Verb !== 'get') {
      const existing = nodeView(r, op.Service.Node).services.get(op.Service.Service.ID || op.Service.Service.Service);
      if (existing) need(a, 'service', existing.Service, 'write');
    }
  }
  if (op.Check) {
    const access = op.Check.Verb === 'get' ? 'read' : 'write';
    const node = op.Check.Check.Node;
    const serviceId = op.Check.Check.ServiceID;
    const service = serviceId ? nodeView(r, node).services.get(serviceId) : undefined;
    if (service) need(a, 'service', service.Service, access);
    else need(a, 'node', node, access);
  }
  if (op.Session) {
    const node = sessionNode(r, op.Session.Session.ID);
    if (node !== undefined) need(a, 'session', node, 'write');
    else need(a, 'operator', '', 'write');
  }
}

/**
 * Whether `caller` may apply `cmd`, decided on the leader against its current state
 * before the command enters the log. Mirrors the HTTP endpoints (and Consul's RPC
 * endpoints): a client agent or follower that forwards a write can't widen it.
 * Throws PermissionDenied; synchronous.
 */
export function authorizeCommand(a: Authorization, r: StateReaders, cmd: Command): void {
  switch (cmd.type) {
    case 'register':
      return vetRegister(a, r, cmd);
    case 'deregister':
      return vetDeregister(a, r, cmd);
    case 'kv-set':
    case 'kv-cas':
    case 'kv-delete':
    case 'kv-delete-cas':
    case 'kv-lock':
    case 'kv-unlock':
      return need(a, 'key', cmd.Key, 'write');
    case 'kv-delete-tree':
      return need(a, 'key', cmd.Prefix, 'write');
    case 'session-create':
      return need(a, 'session', cmd.Session.Node, 'write');
    case 'session-destroy': {
      const node = sessionNode(r, cmd.ID);
      // Destroying an unknown session changes nothing; still not for anyone.
      return node === undefined ? need(a, 'session', '', 'write') : need(a, 'session', node, 'write');
    }
    case 'txn':
      for (const op of cmd.Ops) vetTxnOp(a, r, op);
      return;
    case 'acl-token-set':
    case 'acl-token-delete':
    case 'acl-policy-set':
    case 'acl-policy-delete':
    case 'acl-role-set':
    case 'acl-role-delete':
      return need(a, 'acl', '', 'write');
    case 'acl-bootstrap':
      // Anyone may bootstrap, once: the FSM refuses every bootstrap after the first.
      return;
    case 'coordinate-batch':
      for (const u of cmd.Updates) need(a, 'node', u.Node, 'write');
      return;
    case 'system-meta-set':
      return need(a, 'operator', '', 'write');
    case 'config-entry-set': {
      const w = configEntryWriteNeeds(cmd.Entry.Kind, cmd.Entry.Name);
      return need(a, w.resource, w.segment, w.access);
    }
    case 'config-entry-delete': {
      const w = configEntryWriteNeeds(cmd.Kind, cmd.Name);
      return need(a, w.resource, w.segment, w.access);
    }
    case 'prepared-query-set':
    case 'prepared-query-delete':
      return vetPreparedQueryWrite(a, r, cmd);
    case 'tombstone-reap':
    case 'request':
      // Only the leader issues these (its garbage collection; wrapping a forwarded write).
      throw PermissionDenied(`'${cmd.type}' is internal to the servers`);
  }
}
