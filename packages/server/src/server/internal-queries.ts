import type { CheckServiceNode, DirEntry, HealthCheck, Node, NodeService } from '@proconsul/kernel';
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

/** What `Internal.StreamDump` answers: every KV entry and every node as `nodeDump` shows it. */
export interface StreamDump {
  KV: DirEntry[];
  Nodes: NodeInfo[];
}

/**
 * `Internal.StreamDump` (beyond Consul; `/v1/stream?topic=all`): the whole KV store and every
 * node with its services and checks, in one blocking read that wakes on a change to either.
 * O(state) per answer, so each change re-reads everything: for a stream's single shared loop,
 * not for per-client polling.
 */
export function streamDump(r: StateReaders, _a: unknown, ws?: WatchSet): QueryResult<StreamDump> {
  const kv = r.kv.list('', ws);
  const nodes = nodeDump(r, undefined, ws);
  return { index: Math.max(kv.index, nodes.index), value: { KV: kv.value, Nodes: nodes.value } };
}
