import {
  BadRequest,
  DEFAULT_QUERY,
  type AclLink,
  type Authorization,
  type Authorizer,
  type ClusterRpcPort,
  type DatacenterTarget,
  type HttpRequest,
  type HttpResponse,
  type QueryName,
  type QueryReply,
} from '@proconsul/kernel';
import {
  authorize,
  canonicalKeys,
  datacenterTarget,
  decodeJsonBody,
  readForRequest,
  replyWithMeta,
  requireAccess,
} from '@proconsul/http';
import { AclInvalid, AclNotFound } from '../acl-errors.js';

// route, authorization and meta replies are the shared HTTP endpoint helpers (@proconsul/http).
export { route } from '@proconsul/http';

/** What the ACL endpoints need: the cluster RPC for reads and writes, and the authorizer. */
export interface AclHttpDeps {
  readonly rpc: ClusterRpcPort;
  readonly authorizer: Authorizer;
  /** This agent's data_dir, where an operator may put Consul's `acl-bootstrap-reset` file. */
  readonly dataDir?: string;
  /**
   * `primary_datacenter`: global tokens, policies and roles are written there, as Consul
   * forwards them, and replicate to the others. Absent or the local one: written here.
   */
  readonly primaryDatacenter?: string;
}

/**
 * Where an ACL write runs: a global object (policy, role, non-local token) in the primary
 * datacenter whatever the agent's own datacenter or `?dc=` say, so the primary stays the
 * one authority; a local token where the request names (`?dc=`, else here).
 */
export function aclWriteTarget(deps: AclHttpDeps, req: HttpRequest, global: boolean): DatacenterTarget {
  return global && deps.primaryDatacenter ? { datacenter: deps.primaryDatacenter } : datacenterTarget(req);
}

/** The request's authorization, refused unless it has `acl:<access>`. */
export async function requireAcl(deps: AclHttpDeps, req: HttpRequest, access: 'read' | 'write'): Promise<Authorization> {
  const authz = await authorize(deps.authorizer, req);
  requireAccess(authz, 'acl', '', access);
  return authz;
}

/** A state read with the request's consistency and blocking options; the reply carries Consul's meta headers. */
export function aclRead<T>(deps: AclHttpDeps, req: HttpRequest, query: QueryName, args: unknown): Promise<QueryReply<T>> {
  return readForRequest<T>(deps.rpc, req, query, args);
}

export function withMeta(reply: QueryReply<unknown>, body: unknown): HttpResponse {
  return replyWithMeta(reply.meta, body);
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
  target: DatacenterTarget = datacenterTarget(req),
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
      // On the leader of the datacenter the write goes to, as Consul resolves links inside the
      // write RPC: a stale server (or a secondary's replica) may lack one created a moment ago.
      { ...DEFAULT_QUERY, ...target },
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
