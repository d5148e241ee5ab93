import type { CheckStatus, QueryName } from '@proconsul/kernel';
import type { QueryResult, StateReaders, WatchSet } from '@proconsul/state';
import { nodeDump, serviceDump, streamDump } from './internal-queries.js';
import { sortByNear } from './near-sort.js';
import { checksOnMatchingNodes, listServices, type NodeMetaFilter } from './filtered-queries.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- args arrive as decoded RPC bodies and are shaped by the HTTP layer */
type Query = (r: StateReaders, a: any, ws?: WatchSet) => QueryResult<unknown>;

/**
 * Every read a server answers for agents, by name (Consul's RPC endpoint names). The
 * HTTP layer validates the arguments; a client agent sends the same name and arguments
 * to a server, which runs it here — so reads, blocking and consistency behave the same
 * whichever agent the HTTP request reached.
 */
export const STATE_QUERIES = {
  'Catalog.ListNodes': (r, a: { near?: string } | undefined, ws) => sortByNear(r, a?.near, r.catalog.nodes(ws), (n) => n.Node),
  'Catalog.NodeServices': (r, a: { node: string }, ws) => r.catalog.node(a.node, ws),
  'Catalog.NodeServiceList': (r, a: { node: string }, ws) => r.catalog.nodeServices(a.node, ws),
  'Catalog.ListServices': (r, a: { nodeMeta?: NodeMetaFilter; filter?: string } | undefined, ws) => listServices(r, a, ws),
  // serviceId: only that ID's instances (an older server ignores it and answers them all).
  'Catalog.ServiceNodes': (r, a: { service: string; tags?: string[]; near?: string; serviceId?: string }, ws) =>
    sortByNear(r, a.near, r.catalog.serviceNodes(a.service, { tag: a.tags, id: a.serviceId }, ws), (s) => s.Node),
  'Health.NodeChecks': (r, a: { node: string }, ws) => r.health.nodeChecks(a.node, ws),
  'Health.ServiceChecks': (r, a: { service: string; nodeMeta?: NodeMetaFilter; near?: string }, ws) =>
    sortByNear(r, a.near, checksOnMatchingNodes(r, r.health.serviceChecks(a.service, ws), a.nodeMeta, ws), (c) => c.Node),
  'Health.ChecksInState': (r, a: { state: CheckStatus | 'any'; nodeMeta?: NodeMetaFilter; near?: string }, ws) =>
    sortByNear(r, a.near, checksOnMatchingNodes(r, r.health.checksInState(a.state, ws), a.nodeMeta, ws), (c) => c.Node),
  'Health.ServiceNodes': (r, a: { service: string; tags?: string[]; passingOnly?: boolean; near?: string }, ws) =>
    sortByNear(r, a.near, r.health.serviceNodes(a.service, { tags: a.tags, passingOnly: a.passingOnly }, ws), (e) => e.Node.Node),
  'Internal.NodeDump': (r, a: { node?: string } | undefined, ws) => nodeDump(r, a, ws),
  'Internal.ServiceDump': (r, a: unknown, ws) => serviceDump(r, a, ws),
  'Internal.StreamDump': (r, a: unknown, ws) => streamDump(r, a, ws),
  'KVS.Get': (r, a: { key: string }, ws) => r.kv.get(a.key, ws),
  'KVS.List': (r, a: { prefix: string }, ws) => r.kv.list(a.prefix, ws),
  'KVS.ListKeys': (r, a: { prefix: string; separator?: string }, ws) => r.kv.keys(a.prefix, a.separator ?? '', ws),
  'Session.Get': (r, a: { id: string }, ws) => r.sessions.get(a.id, ws),
  'Session.List': (r, _a, ws) => r.sessions.list(ws),
  'Session.NodeSessions': (r, a: { node: string }, ws) => r.sessions.byNode(a.node, ws),
  'Coordinate.ListNodes': (r, _a, ws) => r.coordinates.nodes(ws),
  'Coordinate.Node': (r, a: { node: string }, ws) => r.coordinates.node(a.node, ws),
  'System.Get': (r, a: { key: string }, ws) => r.system.get(a.key, ws),
  'ACL.ResolveSecret': (r, a: { secret: string }, ws) => r.acl.resolveSecret(a.secret, ws),
  'ACL.TokenRead': (r, a: { id: string }, ws) => r.acl.token(a.id, ws),
  'ACL.TokenList': (r, _a, ws) => r.acl.tokens(ws),
  'ACL.PolicyRead': (r, a: { id: string }, ws) => r.acl.policy(a.id, ws),
  'ACL.PolicyByName': (r, a: { name: string }, ws) => r.acl.policyByName(a.name, ws),
  'ACL.PolicyList': (r, _a, ws) => r.acl.policies(ws),
  'ACL.RoleRead': (r, a: { id: string }, ws) => r.acl.role(a.id, ws),
  'ACL.RoleByName': (r, a: { name: string }, ws) => r.acl.roleByName(a.name, ws),
  'ACL.RoleList': (r, _a, ws) => r.acl.roles(ws),
  'ACL.BootstrapIndex': (r, _a, ws) => r.acl.bootstrapIndex(ws),
  'ConfigEntry.Get': (r, a: { kind: string; name: string }, ws) => r.configEntries.get(a.kind, a.name, ws),
  'ConfigEntry.List': (r, a: { kind: string }, ws) => r.configEntries.list(a.kind, ws),
  'PreparedQuery.Get': (r, a: { id: string }, ws) => r.preparedQueries.get(a.id, ws),
  'PreparedQuery.List': (r, _a, ws) => r.preparedQueries.list(ws),
} satisfies Record<QueryName, Query>;
/* eslint-enable @typescript-eslint/no-explicit-any */

export function isQueryName(name: string): name is QueryName {
  return Object.hasOwn(STATE_QUERIES, name);
}
