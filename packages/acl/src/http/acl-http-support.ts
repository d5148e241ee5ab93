import {
  BadRequest,
  PermissionDenied,
  canonicalKeys,
  decodeJsonBody,
  DEFAULT_QUERY,
  parseQueryOptions,
  type AclLink,
  type Authorization,
  type Authorizer,
  type ClusterRpc,
  type HttpEndpoint,
  type HttpMethod,
  type HttpRequest,
  type HttpResponse,
  type QueryName,
  type QueryReply,
} from '@proconsul/kernel';
import { AclInvalid, AclNotFound } from '../acl-errors.js';

/** What the ACL endpoints need: the cluster RPC for reads and writes, and the authorizer. */
export interface AclHttpDeps {
  readonly rpc: ClusterRpc;
  readonly authorizer: Authorizer;
}

export function route(method: HttpMethod, path: string, handle: (req: HttpRequest) => Promise<HttpResponse>): HttpEndpoint {
  return { method, path, handle };
}

/** The request's authorization, refused unless it has `acl:<access>`. */
export async function requireAcl(deps: AclHttpDeps, req: HttpRequest, access: 'read' | 'write'): Promise<Authorization> {
  const authz = await deps.authorizer.resolve(req.token);
  if (!authz.allowed('acl', '', access)) throw PermissionDenied(`token lacks 'acl:${access}'`);
  return authz;
}

/** A state read with the request's consistency and blocking options; the reply carries Consul's meta headers. */
export async function aclRead<T>(deps: AclHttpDeps, req: HttpRequest, query: QueryName, args: unknown): Promise<QueryReply<T>> {
  return deps.rpc.read<T>(query, args, parseQueryOptions(req.query), { token: req.token }, req.signal);
}

export function withMeta(reply: QueryReply<unknown>, body: unknown): HttpResponse {
  return {
    body,
    headers: {
      'X-Consul-Index': String(Math.max(1, reply.meta.index)),
      'X-Consul-KnownLeader': String(reply.meta.knownLeader),
      'X-Consul-LastContact': String(reply.meta.lastContactMs),
    },
  };
}

/** A JSON object body with Consul's case-insensitive field names. */
export function objectBody(req: HttpRequest, fields: readonly string[]): Record<string, unknown> {
  return canonicalKeys(decodeJsonBody<Record<string, unknown>>(req.body, { type: 'object' }, {}), fields);
}

export function optString(body: Record<string, unknown>, key: string, what: string): string {
  const v = body[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw BadRequest(`Request decode failed: ${what}.${key} must be a string`);
  return v;
}

/**
 * `[{ID}|{Name}]` links to policies or roles, resolved to existing objects' IDs; an
 * unknown one is a 400 naming it (Consul: "cannot find policy ...").
 */
export async function resolveLinks(
  deps: AclHttpDeps,
  req: HttpRequest,
  raw: unknown,
  kind: 'policy' | 'role',
  what: string,
): Promise<AclLink[]> {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw AclInvalid(what, `${kind === 'policy' ? 'Policies' : 'Roles'} must be a list`);
  const out: AclLink[] = [];
  for (const item of raw) {
    const l = canonicalKeys((item ?? {}) as Record<string, unknown>, ['ID', 'Name']);
    const byId = typeof l['ID'] === 'string' && l['ID'] !== '';
    const query = (
      kind === 'policy' ? (byId ? 'ACL.PolicyRead' : 'ACL.PolicyByName') : byId ? 'ACL.RoleRead' : 'ACL.RoleByName'
    ) as QueryName;
    const key = byId ? l['ID'] : l['Name'];
    if (typeof key !== 'string' || key === '') throw AclInvalid(what, `each ${kind} link needs an ID or a Name`);
    const found = await deps.rpc.read<{ ID: string; Name: string } | null>(
      query,
      byId ? { id: key } : { name: key },
      // On the leader, as Consul resolves links inside the write RPC: a stale server may not
      // yet have the policy or role created a moment ago.
      DEFAULT_QUERY,
      { token: req.token },
    );
    if (!found.value) throw AclInvalid(what, `cannot find ${kind} ${key}`);
    if (!out.some((x) => x.ID === found.value!.ID)) out.push({ ID: found.value.ID, Name: found.value.Name });
  }
  return out;
}

/** Read one object by key or answer Consul's "ACL not found" (403). */
export async function readOr403<T>(deps: AclHttpDeps, req: HttpRequest, query: QueryName, args: unknown): Promise<HttpResponse> {
  const r = await aclRead<T | null>(deps, req, query, args);
  if (r.value === null) throw AclNotFound();
  return withMeta(r, r.value);
}
