import {
  BadRequest,
  NoPathToDatacenter,
  type AclAccess,
  type AclResource,
  type Authorization,
  type Authorizer,
  type ClusterRpcPort,
  type HttpRequest,
  type HttpResponse,
  type QueryMeta,
  type QueryName,
  type QueryReply,
  type RuntimeConfig,
} from '@proconsul/kernel';
import { authorize as authorizeRequest, metaHeaders, readForRequest, requireAccess } from '@proconsul/http';
import { applyFilter, compileFilter } from '@proconsul/state';

// The generic endpoint helpers live in the kernel's http module, shared with the acl plugin
// and third-party plugins; these wrappers keep this package's call sites short.
import type { AgentCache } from './agent-cache.js';
import type { DuplicateCheck } from './duplicate-services.js';
export { route, metaHeaders } from '@proconsul/http';

/** What endpoint groups need from the kernel, resolved once per agent. */
export interface EndpointDeps {
  readonly config: RuntimeConfig;
  readonly rpc: ClusterRpcPort;
  readonly authorizer: Authorizer;
  /** Reports a service ID that another node registered too (absent: no report). */
  readonly duplicates?: DuplicateCheck;
  /** The agent cache behind `?cached` (absent: `?cached` is ignored). */
  readonly cache?: AgentCache;
}

/** For calls that cannot cross datacenters yet (session renew, user events, Connect CA): `?dc=` must be this one. */
export function checkDatacenter(req: HttpRequest, config: RuntimeConfig): void {
  const dc = req.query.get('dc');
  if (dc && dc.toLowerCase() !== config.datacenter.toLowerCase()) throw NoPathToDatacenter();
}

export async function authorize(deps: EndpointDeps, req: HttpRequest): Promise<Authorization> {
  return authorizeRequest(deps.authorizer, req);
}

export function require(authz: Authorization, resource: AclResource, segment: string, access: AclAccess): void {
  requireAccess(authz, resource, segment, access);
}

/** Run a state read the way the request asks (consistency, blocking) and shape the reply. */
export async function read<T>(deps: EndpointDeps, req: HttpRequest, query: QueryName, args: unknown): Promise<QueryReply<T>> {
  return readForRequest<T>(deps.rpc, req, query, args);
}

/** JSON reply with the meta headers; `?filter=` applied to list bodies. */
export function reply(meta: QueryMeta, body: unknown, req?: HttpRequest, status = 200): HttpResponse {
  const filter = req?.query.get('filter');
  const filtered =
    filter && (Array.isArray(body) || (body && typeof body === 'object')) ? applyFilter(body as never, filter) : body;
  return { status, body: filtered, headers: metaHeaders(meta) };
}

/** `?node-meta=key:value` (repeatable): every pair must match. */
export function nodeMetaFilter(req: HttpRequest): ((meta: Record<string, string> | undefined) => boolean) | undefined {
  const want = nodeMetaPairs(req);
  if (!want) return undefined;
  return (meta) => Object.entries(want).every(([k, v]) => meta?.[k] === v);
}

/** `?node-meta=key:value` pairs as a map, for reads the server filters; undefined when none. */
export function nodeMetaPairs(req: HttpRequest): Record<string, string> | undefined {
  const pairs = req.query.getAll('node-meta');
  if (pairs.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf(':');
    if (i <= 0) throw BadRequest(`Invalid node-meta "${p}": expected key:value`);
    out[p.slice(0, i)] = p.slice(i + 1);
  }
  return out;
}

/**
 * `?filter=` checked before any read: a malformed expression is a 400 naming the problem,
 * also when the list it would filter is empty. Undefined when absent or empty.
 */
export function filterExpression(req: HttpRequest): string | undefined {
  const expr = req.query.get('filter');
  if (!expr) return undefined;
  compileFilter(expr);
  return expr;
}

export function param(req: HttpRequest, name: string, what: string): string {
  const v = req.params[name];
  if (!v) throw BadRequest(`Missing ${what}`);
  return v;
}

export { keepAll } from '@proconsul/kernel';

/**
 * `?near=<node>` for reads the server sorts by estimated RTT; `_agent` means this agent's
 * node and is resolved here, before the read goes to a server that does not know us.
 */
export function nearArg(req: HttpRequest, config: RuntimeConfig): { near?: string } {
  const near = req.query.get('near');
  if (!near) return {};
  return { near: near === '_agent' ? config.nodeName : near };
}
