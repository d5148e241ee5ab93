import type { CheckServiceNode, HealthCheck, Node, NodeService } from '@proconsul/kernel';
import type { QueryResult, StateReaders, WatchSet } from '@proconsul/state';

/** A node with its services and checks (Consul's NodeInfo, what `/v1/internal/ui/node*` return). */
export interface NodeInfo extends Node {
  Services: NodeService[];
  Checks: HealthCheck[];
}

/**
 * Consul's `Internal.NodeDump` (`/v1/internal/ui/nodes`, and `node` given: `/v1/internal/ui/node/:n`):
 * every node, or the one named, with its services and checks. Reads everything it returns,
 * so it is for the UI, not for polling at scale.
 */
export function nodeDump(r: StateReaders, a: { node?: string } | undefined, ws?: WatchSet): QueryResult<NodeInfo[]> {
  const all = r.catalog.nodes(ws);
  let index = all.index;
  const value: NodeInfo[] = [];
  for (const node of all.value) {
    if (a?.node !== undefined && node.Node !== a.node) continue;
    const services = r.catalog.nodeServices(node.Node, ws);
    const checks = r.health.nodeChecks(node.Node, ws);
    index = Math.max(index, services.index, checks.index);
    value.push({ ...node, Services: services.value?.Services ?? [], Checks: checks.value });
  }
  return { index, value };
}

/**
 * Consul's `Internal.ServiceDump` (`/v1/internal/ui/services` summarises it): every service
 * instance with its node and its checks (node checks included), by service name.
 */
export function serviceDump(r: StateReaders, _a: unknown, ws?: WatchSet): QueryResult<CheckServiceNode[]> {
  const names = r.catalog.services(ws);
  let index = Math.max(names.index, r.catalog.nodes(ws).index);
  const value: CheckServiceNode[] = [];
  for (const name of Object.keys(names.value)) {
    const inst = r.health.serviceNodes(name, {}, ws);
    index = Math.max(index, inst.index);
    value.push(...inst.value);
  }
  return { index, value };
}
