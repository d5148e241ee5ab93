import {
  BadRequest,
  NoPathToDatacenter,
  PermissionDenied,
  applyFilter,
  parseQueryOptions,
  type AclAccess,
  type AclResource,
  type Authorization,
  type Authorizer,
  type ClusterRpc,
  type HttpEndpoint,
  type HttpMethod,
  type HttpRequest,
  type HttpResponse,
  type QueryMeta,
  type QueryName,
  type QueryReply,
  type RuntimeConfig,
} from '@proconsul/kernel';

/** What endpoint groups need from the kernel, resolved once per agent. */
export interface EndpointDeps {
  readonly config: RuntimeConfig;
  readonly rpc: ClusterRpc;
  readonly authorizer: Authorizer;
}

export function route(
  method: HttpMethod | HttpMethod[],
  path: string,
  handle: (req: HttpRequest) => Promise<HttpResponse>,
): HttpEndpoint {
  return { method, path, handle };
}

/** Consul's blocking-query headers. */
export function metaHeaders(meta: QueryMeta): Record<string, string> {
  return {
    'X-Consul-Index': String(Math.max(1, meta.index)),
    'X-Consul-KnownLeader': String(meta.knownLeader),
    'X-Consul-LastContact': String(Math.round(meta.lastContactMs)),
    'X-Consul-Effective-Consistency': meta.consistency,
  };
}

/** `?dc=` naming another datacenter has no route until multi-datacenter exists; Consul's words. */
export function checkDatacenter(req: HttpRequest, config: RuntimeConfig): void {
  const dc = req.query.get('dc');
  if (dc && dc.toLowerCase() !== config.datacenter) throw NoPathToDatacenter();
}

export async function authorize(deps: EndpointDeps, req: HttpRequest): Promise<Authorization> {
  return deps.authorizer.resolve(req.token);
}

export function require(authz: Authorization, resource: AclResource, segment: string, access: AclAccess): void {
  if (!authz.allowed(resource, segment, access)) throw PermissionDenied(`token lacks '${resource}:${access}' on "${segment}"`);
}

/** Run a state read the way the request asks (consistency, blocking) and shape the reply. */
export async function read<T>(deps: EndpointDeps, req: HttpRequest, query: QueryName, args: unknown): Promise<QueryReply<T>> {
  checkDatacenter(req, deps.config);
  return deps.rpc.read<T>(query, args, parseQueryOptions(req.query), { token: req.token }, req.signal);
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
  const pairs = req.query.getAll('node-meta');
  if (pairs.length === 0) return undefined;
  const want = pairs.map((p) => {
    const i = p.indexOf(':');
    if (i <= 0) throw BadRequest(`Invalid node-meta "${p}": expected key:value`);
    return [p.slice(0, i), p.slice(i + 1)] as const;
  });
  return (meta) => want.every(([k, v]) => meta?.[k] === v);
}

export function param(req: HttpRequest, name: string, what: string): string {
  const v = req.params[name];
  if (!v) throw BadRequest(`Missing ${what}`);
  return v;
}

/**
 * `items.filter(keep)`, but returns `items` itself when nothing is dropped, so a result
 * shared by many woken blocking queries keeps its identity and is serialised once.
 */
export function keepAll<T>(items: readonly T[], keep: (t: T) => boolean): T[] {
  return items.every(keep) ? (items as T[]) : items.filter(keep);
}
