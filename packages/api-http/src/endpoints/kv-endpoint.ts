import {
  BadRequest,
  defineError,
  type Command,
  type DirEntry,
  type HttpEndpoint,
  type HttpRequest,
  type HttpResponse,
} from '@proconsul/kernel';
import { authorize, read, reply, require, route, type EndpointDeps } from './endpoint-support.js';
import { datacenterTarget } from '@proconsul/http';

const ValueTooLarge = defineError(
  'KV_VALUE_TOO_LARGE',
  413,
  (size: number, max: number) =>
    `Request body(${size} bytes) too large, max size: ${max} bytes. See https://developer.hashicorp.com/consul/docs/agent/config/config-files#kv_max_value_size.`,
);

/** `/v1/kv/:key` — GET (recurse, keys, raw), PUT (cas, flags, acquire, release), DELETE (recurse, cas). */
export function kvEndpoints(deps: EndpointDeps): HttpEndpoint[] {
  return [
    route('GET', '/v1/kv{/*key}', (req) => get(deps, req)),
    route('PUT', '/v1/kv{/*key}', (req) => put(deps, req)),
    route('DELETE', '/v1/kv{/*key}', (req) => del(deps, req)),
  ];
}

async function get(deps: EndpointDeps, req: HttpRequest): Promise<HttpResponse> {
  const key = req.params['key'] ?? '';
  const authz = await authorize(deps, req);
  if (req.query.has('keys')) {
    const separator = req.query.get('separator') ?? '';
    const r = await read<string[]>(deps, req, 'KVS.ListKeys', { prefix: key, separator });
    const keys = r.value.filter((k) => authz.allowed('key', k, 'list') || authz.allowed('key', k, 'read'));
    return keys.length ? reply(r.meta, keys) : reply(r.meta, undefined, undefined, 404);
  }
  if (req.query.has('recurse')) {
    const r = await read<DirEntry[]>(deps, req, 'KVS.List', { prefix: key });
    const entries = r.value.filter((e) => authz.allowed('key', e.Key, 'read'));
    return entries.length ? reply(r.meta, entries.map(kvJson), req) : reply(r.meta, undefined, undefined, 404);
  }
  if (!key) throw BadRequest('Missing key name');
  require(authz, 'key', key, 'read');
  const r = await read<DirEntry | null>(deps, req, 'KVS.Get', { key });
  if (!r.value) return reply(r.meta, undefined, undefined, 404);
  if (req.query.has('raw')) {
    const v = r.value.Value ?? new Uint8Array();
    return { ...reply(r.meta, undefined), body: Buffer.from(v.buffer, v.byteOffset, v.byteLength) };
  }
  return reply(r.meta, [kvJson(r.value)]);
}

async function put(deps: EndpointDeps, req: HttpRequest): Promise<HttpResponse> {
  const key = req.params['key'] ?? '';
  if (!key) throw BadRequest('Missing key name');
  if (req.body.length > deps.config.kvMaxValueSize) throw ValueTooLarge(req.body.length, deps.config.kvMaxValueSize);
  require(await authorize(deps, req), 'key', key, 'write');
  const q = req.query;
  if (q.has('cas') && (q.has('acquire') || q.has('release'))) throw BadRequest('Conflicting flags: cas with acquire or release');
  if (q.has('acquire') && q.has('release')) throw BadRequest('Conflicting flags: acquire with release');
  const flags = uint(q.get('flags'), 'flags');
  const Value = req.body.length ? new Uint8Array(req.body) : null;
  const base = { v: 1 as const, Key: key, Value, ...(flags !== undefined ? { Flags: flags } : {}) };
  let cmd: Command;
  if (q.has('acquire')) cmd = { ...base, type: 'kv-lock', Session: sessionParam(q.get('acquire')), now: 0 };
  else if (q.has('release')) cmd = { ...base, type: 'kv-unlock', Session: sessionParam(q.get('release')) };
  else if (q.has('cas')) cmd = { ...base, type: 'kv-cas', Index: uint(q.get('cas'), 'cas') ?? 0 };
  else cmd = { ...base, type: 'kv-set' };
  const r = await deps.rpc.write(cmd, { token: req.token }, datacenterTarget(req));
  return { body: r.value === true, headers: { 'X-Consul-Index': String(r.index) } };
}

async function del(deps: EndpointDeps, req: HttpRequest): Promise<HttpResponse> {
  const key = req.params['key'] ?? '';
  const recurse = req.query.has('recurse');
  if (!key && !recurse) throw BadRequest('Missing key name');
  require(await authorize(deps, req), 'key', key, 'write');
  let cmd: Command;
  if (recurse) cmd = { v: 1, type: 'kv-delete-tree', Prefix: key };
  else if (req.query.has('cas')) cmd = { v: 1, type: 'kv-delete-cas', Key: key, Index: uint(req.query.get('cas'), 'cas') ?? 0 };
  else cmd = { v: 1, type: 'kv-delete', Key: key };
  const r = await deps.rpc.write(cmd, { token: req.token }, datacenterTarget(req));
  return { body: r.value === true, headers: { 'X-Consul-Index': String(r.index) } };
}

const UINT64_MAX = (1n << 64n) - 1n;

/**
 * Consul's flags and indexes are uint64; clients use the whole range (its lock recipe
 * marks keys with flag 0x2ddccbc058a50c18). Values beyond 2^53 stay exact as bigint.
 */
export function uint(v: string | null, name: string): number | undefined {
  if (v === null || v === '') return undefined;
  if (!/^\d+$/.test(v) || BigInt(v) > UINT64_MAX) throw BadRequest(`Invalid ${name}: "${v}" is not an unsigned 64-bit integer`);
  const n = BigInt(v);
  return (n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n) as number;
}

function sessionParam(v: string | null): string {
  if (!v) throw BadRequest('Missing session ID');
  return v;
}

/** A DirEntry as Consul's JSON has it: `Session` only while a session holds the key (omitempty). */
export function kvJson(e: DirEntry): Omit<DirEntry, 'Session'> & { Session?: string } {
  if (e.Session) return e;
  const { Session: _unused, ...rest } = e;
  return rest;
}
