import {
  keepAll,
  PermissionDenied,
  redactSecret,
  type AclToken,
  type Authorization,
  type CheckServiceNode,
  type Coordinate,
  type DirEntry,
  type HealthCheck,
  type Node,
  type NodeService,
  type QueryName,
  type ServiceNode,
  type Session,
} from '@proconsul/kernel';
import type { NodeInfo, StreamDump } from '../internal-queries.js';
import type { ConfigEntry } from '@proconsul/kernel';
import { configEntryReadable } from './config-entry-access.js';
import { preparedQueryVisible } from './prepared-query-access.js';
import type { PreparedQuery } from '@proconsul/kernel';

/**
 * What a read may return to a caller: throw PermissionDenied for a point read the caller
 * may not make, or return the value with what it may not see removed. Runs on the server
 * that answers the read — after a blocking wait too — so a client agent or follower that
 * forwards a read can't widen it. The rules are the HTTP API's (and Consul's): a listing
 * is filtered, a read of one forbidden object is denied or empty as its endpoint is.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- args and values are each query's own shapes (state-queries.ts) */
export type QueryAccess = (authz: Authorization, args: any, value: any, callerToken: string | undefined) => unknown;

/* eslint-enable @typescript-eslint/no-explicit-any */

const nodeOk = (a: Authorization, node: string) => a.allowed('node', node, 'read');
const serviceOk = (a: Authorization, name: string) => a.allowed('service', name, 'read');
const checkOk = (a: Authorization, c: HealthCheck) => nodeOk(a, c.Node) && (!c.ServiceName || serviceOk(a, c.ServiceName));

/** `items.map(fn)`, but `items` itself when `fn` changed nothing (see resultsFiltered). */
function mapKeep<T>(items: T[], fn: (t: T) => T): T[] {
  let out: T[] | undefined;
  items.forEach((t, i) => {
    const u = fn(t);
    if (u !== t) (out ??= items.slice())[i] = u;
  });
  return out ?? items;
}

function requireAcl(a: Authorization, access: 'read' | 'write'): void {
  if (!a.allowed('acl', '', access)) throw PermissionDenied(`token lacks 'acl:${access}'`);
}

export const QUERY_ACCESS: Readonly<Record<QueryName, QueryAccess>> = {
  'Catalog.ListNodes': (a, _x, v: Node[]) => keepAll(v, (n) => nodeOk(a, n.Node)),
  'Catalog.NodeServices': (a, x: { node: string }, v: { Node: Node; Services: Record<string, NodeService> } | null) => {
    if (!v || !nodeOk(a, x.node)) return null;
    const entries = Object.entries(v.Services);
    if (entries.every(([, s]) => serviceOk(a, s.Service))) return v;
    return { ...v, Services: Object.fromEntries(entries.filter(([, s]) => serviceOk(a, s.Service))) };
  },
  'Catalog.NodeServiceList': (a, x: { node: string }, v: { Node: Node; Services: NodeService[] } | null) => {
    if (!v || !nodeOk(a, x.node)) return null;
    const services = keepAll(v.Services, (s) => serviceOk(a, s.Service));
    return services === v.Services ? v : { ...v, Services: services };
  },
  'Catalog.ListServices': (a, _x, v: Record<string, string[]>) => {
    const names = Object.keys(v);
    if (names.every((n) => serviceOk(a, n))) return v;
    return Object.fromEntries(names.filter((n) => serviceOk(a, n)).map((n) => [n, v[n]]));
  },
  'Catalog.ServiceNodes': (a, x: { service: string }, v: ServiceNode[]) =>
    serviceOk(a, x.service) ? keepAll(v, (s) => nodeOk(a, s.Node)) : [],
  'Health.NodeChecks': (a, _x, v: HealthCheck[]) => keepAll(v, (c) => checkOk(a, c)),
  'Health.ServiceChecks': (a, _x, v: HealthCheck[]) => keepAll(v, (c) => checkOk(a, c)),
  'Health.ChecksInState': (a, _x, v: HealthCheck[]) => keepAll(v, (c) => checkOk(a, c)),
  'Health.ServiceNodes': (a, x: { service: string }, v: CheckServiceNode[]) => {
    if (!serviceOk(a, x.service)) return [];
    return mapKeep(
      keepAll(v, (e) => nodeOk(a, e.Node.Node)),
      (e) => {
        const checks = keepAll(e.Checks, (c) => checkOk(a, c));
        return checks === e.Checks ? e : { ...e, Checks: checks };
      },
    );
  },
  // The UI's dumps: what the catalog and health listings would show, node by node.
  'Internal.NodeDump': (a, _x, v: NodeInfo[]) =>
    mapKeep(
      keepAll(v, (n) => nodeOk(a, n.Node)),
      (n) => {
        const services = keepAll(n.Services, (s) => serviceOk(a, s.Service));
        const checks = keepAll(n.Checks, (c) => checkOk(a, c));
        return services === n.Services && checks === n.Checks ? n : { ...n, Services: services, Checks: checks };
      },
    ),
  'Internal.StreamDump': (a, _x, v: StreamDump) => {
    const kv = keepAll(v.KV, (e) => a.allowed('key', e.Key, 'read'));
    const nodes = QUERY_ACCESS['Internal.NodeDump'](a, undefined, v.Nodes, undefined) as NodeInfo[];
    return kv === v.KV && nodes === v.Nodes ? v : { KV: kv, Nodes: nodes };
  },
  'Internal.ServiceDump': (a, _x, v: CheckServiceNode[]) =>
    mapKeep(
      keepAll(v, (e) => serviceOk(a, e.Service.Service) && nodeOk(a, e.Node.Node)),
      (e) => {
        const checks = keepAll(e.Checks, (c) => checkOk(a, c));
        return checks === e.Checks ? e : { ...e, Checks: checks };
      },
    ),
  'KVS.Get': (a, x: { key: string }, v: DirEntry | null) => {
    if (!a.allowed('key', x.key, 'read')) throw PermissionDenied(`token lacks 'key:read' on "${x.key}"`);
    return v;
  },
  'KVS.List': (a, _x, v: DirEntry[]) => keepAll(v, (e) => a.allowed('key', e.Key, 'read')),
  'KVS.ListKeys': (a, _x, v: string[]) => keepAll(v, (k) => a.allowed('key', k, 'list') || a.allowed('key', k, 'read')),
  'Session.Get': (a, _x, v: Session | null) => (v && a.allowed('session', v.Node, 'read') ? v : null),
  'Session.List': (a, _x, v: Session[]) => keepAll(v, (s) => a.allowed('session', s.Node, 'read')),
  'Session.NodeSessions': (a, _x, v: Session[]) => keepAll(v, (s) => a.allowed('session', s.Node, 'read')),
  'Coordinate.ListNodes': (a, _x, v: Coordinate[]) => keepAll(v, (c) => nodeOk(a, c.Node)),
  'Coordinate.Node': (a, _x, v: Coordinate[]) => keepAll(v, (c) => nodeOk(a, c.Node)),
  // System metadata (autopilot configuration, …) is operator state.
  'System.Get': (a, _x, v: unknown) => {
    if (!a.allowed('operator', '', 'read')) throw PermissionDenied(`token lacks 'operator:read'`);
    return v;
  },
  // Resolving a secret is how agents learn what a token may do: allowed for the holder only.
  'ACL.ResolveSecret': (_a, x: { secret: string }, v: unknown, callerToken) => {
    if (callerToken === undefined || callerToken !== x.secret)
      throw PermissionDenied('a token may only be resolved by its holder');
    return v;
  },
  'ACL.TokenRead': (a, _x, v: AclToken | null) => {
    requireAcl(a, 'read');
    return v && redactSecret(v, a.allowed('acl', '', 'write'));
  },
  'ACL.TokenList': (a, _x, v: AclToken[]) => {
    requireAcl(a, 'read');
    const secrets = a.allowed('acl', '', 'write');
    return secrets ? v : v.map((t) => redactSecret(t, false));
  },
  'ACL.PolicyRead': (a, _x, v: unknown) => (requireAcl(a, 'read'), v),
  'ACL.PolicyByName': (a, _x, v: unknown) => (requireAcl(a, 'read'), v),
  'ACL.PolicyList': (a, _x, v: unknown) => (requireAcl(a, 'read'), v),
  'ACL.RoleRead': (a, _x, v: unknown) => (requireAcl(a, 'read'), v),
  'ACL.RoleByName': (a, _x, v: unknown) => (requireAcl(a, 'read'), v),
  'ACL.RoleList': (a, _x, v: unknown) => (requireAcl(a, 'read'), v),
  // Whether bootstrap already happened is public: `PUT /v1/acl/bootstrap` needs no token.
  'ACL.BootstrapIndex': (_a, _x, v: unknown) => v,
  // An entry the caller may not read is "not found" (Consul answers the same way).
  'ConfigEntry.Get': (a, x: { kind: string; name: string }, v: ConfigEntry | null) =>
    v && configEntryReadable(a, x.kind, x.name) ? v : null,
  'ConfigEntry.List': (a, _x, v: ConfigEntry[]) => keepAll(v, (e) => configEntryReadable(a, e.Kind, e.Name)),
  // Consul answers a query the caller may not read as a permission error, and filters lists.
  'PreparedQuery.Get': (a, _x, v: PreparedQuery | null) => {
    if (!v) return v;
    const seen = preparedQueryVisible(a, v);
    if (!seen) throw PermissionDenied(`token lacks 'query:read' on "${v.Name}"`);
    return seen;
  },
  'PreparedQuery.List': (a, _x, v: PreparedQuery[]) =>
    v.map((q) => preparedQueryVisible(a, q)).filter((q): q is PreparedQuery => q !== undefined),
};

/** Reads whose access rule rewrites what it returns (redacts a secret) without leaving anything out. */
const REDACTING: ReadonlySet<QueryName> = new Set(['ACL.TokenRead', 'ACL.TokenList', 'PreparedQuery.Get']);

/**
 * Whether the access rule of `query` left something out of `before` (Consul's
 * ResultsFilteredByACLs). Every rule returns its input itself when it keeps everything, so
 * identity tells; only redaction and the prepared-query list (which redacts too) differ.
 */
export function resultsFiltered(query: QueryName, before: unknown, after: unknown): boolean {
  if (REDACTING.has(query)) return false;
  if (query === 'PreparedQuery.List') return (after as unknown[]).length < (before as unknown[]).length;
  return after !== before;
}

/** Reads that decide from the caller's token alone, without resolving it. */
export const TOKEN_ONLY_QUERIES: ReadonlySet<QueryName> = new Set(['ACL.ResolveSecret', 'ACL.BootstrapIndex']);
