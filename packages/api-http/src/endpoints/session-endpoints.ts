import { BadRequest, parseDuration, type HttpEndpoint, type Session, type SessionInput } from '@proconsul/kernel';
import { canonicalKeys, decodeJsonBody, datacenterTarget } from '@proconsul/http';
import { authorize, param, read, reply, require, route, type EndpointDeps } from './endpoint-support.js';

const MIN_TTL_MS = 10_000; // Consul's session TTL bounds
const MAX_TTL_MS = 86_400_000;
const SESSION_KEYS = ['ID', 'Name', 'Node', 'LockDelay', 'Behavior', 'TTL', 'NodeChecks', 'ServiceChecks', 'Checks'];
const LOCK_DELAY_SECONDS_THRESHOLD = 1000; // Consul reads small numeric LockDelay values as seconds

/** `/v1/session/*`. */
export function sessionEndpoints(deps: EndpointDeps): HttpEndpoint[] {
  return [
    route('PUT', '/v1/session/create', async (req) => {
      const raw = canonicalKeys(decodeJsonBody<Record<string, unknown>>(req.body, { type: 'object' }, {}), SESSION_KEYS);
      const input = toSessionInput(raw, deps.config.nodeName);
      require(await authorize(deps, req), 'session', input.Node, 'write');
      const r = await deps.rpc.write(
        { v: 1, type: 'session-create', Session: input, now: 0 },
        { token: req.token },
        datacenterTarget(req),
      );
      return { body: { ID: r.value as string }, headers: { 'X-Consul-Index': String(r.index) } };
    }),
    route('PUT', '/v1/session/destroy/:id', async (req) => {
      const id = param(req, 'id', 'session ID');
      const authz = await authorize(deps, req);
      const existing = (await read<Session | null>(deps, req, 'Session.Get', { id })).value;
      if (existing) require(authz, 'session', existing.Node, 'write');
      await deps.rpc.write({ v: 1, type: 'session-destroy', ID: id, now: 0 }, { token: req.token }, datacenterTarget(req));
      return { body: true };
    }),
    route('PUT', '/v1/session/renew/:id', async (req) => {
      const id = param(req, 'id', 'session ID');
      const session = await deps.rpc.renewSession(id, { token: req.token }, datacenterTarget(req));
      return { body: [session] };
    }),
    route('GET', '/v1/session/info/:id', async (req) => {
      const id = param(req, 'id', 'session ID');
      const authz = await authorize(deps, req);
      const r = await read<Session | null>(deps, req, 'Session.Get', { id });
      const ok = r.value && authz.allowed('session', r.value.Node, 'read');
      return reply(r.meta, ok ? [r.value] : null);
    }),
    route('GET', '/v1/session/node/:node', async (req) => {
      const node = param(req, 'node', 'node name');
      const authz = await authorize(deps, req);
      const r = await read<Session[]>(deps, req, 'Session.NodeSessions', { node });
      return reply(
        r.meta,
        r.value.filter((s) => authz.allowed('session', s.Node, 'read')),
        req,
      );
    }),
    route('GET', '/v1/session/list', async (req) => {
      const authz = await authorize(deps, req);
      const r = await read<Session[]>(deps, req, 'Session.List', {});
      return reply(
        r.meta,
        r.value.filter((s) => authz.allowed('session', s.Node, 'read')),
        req,
      );
    }),
  ];
}

function toSessionInput(raw: Record<string, unknown>, localNode: string): SessionInput {
  const out: SessionInput = { ID: '', Node: typeof raw['Node'] === 'string' && raw['Node'] ? raw['Node'] : localNode };
  if (raw['Name'] !== undefined) out.Name = String(raw['Name']);
  const behavior = raw['Behavior'];
  if (behavior !== undefined && behavior !== '') {
    if (behavior !== 'release' && behavior !== 'delete') throw BadRequest(`Invalid Behavior setting '${String(behavior)}'`);
    out.Behavior = behavior;
  }
  const ttl = raw['TTL'];
  if (ttl !== undefined && ttl !== '') {
    let ms: number;
    try {
      ms = parseDuration(ttl as string);
    } catch (e) {
      throw BadRequest(`Request decode failed: TTL ${(e as Error).message}`);
    }
    if (ms !== 0 && (ms < MIN_TTL_MS || ms > MAX_TTL_MS))
      throw BadRequest(`Invalid Session TTL '${String(ttl)}', must be between [10s=24h0m0s]`);
    if (ms !== 0) out.TTL = String(ttl);
  }
  const delay = raw['LockDelay'];
  if (delay !== undefined) {
    let ns: number;
    if (typeof delay === 'number') ns = delay < LOCK_DELAY_SECONDS_THRESHOLD ? delay * 1e9 : delay;
    else {
      try {
        ns = parseDuration(String(delay)) * 1e6;
      } catch (e) {
        throw BadRequest(`Request decode failed: LockDelay ${(e as Error).message}`);
      }
    }
    out.LockDelay = ns;
  }
  for (const k of ['NodeChecks', 'Checks'] as const) {
    const v = raw[k];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v) || v.some((c) => typeof c !== 'string')) throw BadRequest(`${k} must be a list of check IDs`);
    out[k] = v as string[];
  }
  if (Array.isArray(raw['ServiceChecks'])) {
    out.ServiceChecks = (raw['ServiceChecks'] as Record<string, unknown>[]).map((c) => {
      const p = canonicalKeys(c, ['ID', 'Namespace']);
      return { ID: String(p['ID'] ?? ''), Namespace: String(p['Namespace'] ?? '') };
    });
  }
  return out;
}
