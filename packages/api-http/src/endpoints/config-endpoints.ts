import { BadRequest, type ConfigEntry, type HttpEndpoint, type HttpRequest } from '@proconsul/kernel';
import { decodeJsonBody, datacenterTarget } from '@proconsul/http';
import { param, read, reply, route, type EndpointDeps } from './endpoint-support.js';
import { configEntryInput, configEntryKind } from './config-entry-input.js';

/** `?cas=<index>`: absent, or a non-negative integer. */
function casParam(req: HttpRequest): number | undefined {
  const raw = req.query.get('cas');
  if (raw === null || raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw BadRequest(`Request decode failed: invalid cas index "${raw}"`);
  return Number(raw);
}

/**
 * `/v1/config`: central configuration entries, replicated through raft. Writes need the ACL
 * Consul's docs list per kind (service:write on the name, operator:write for proxy-defaults,
 * mesh and gateways), checked by the server that applies them; reads are filtered there.
 */
export function configEndpoints(deps: EndpointDeps): HttpEndpoint[] {
  return [
    route('PUT', '/v1/config', async (req) => {
      const entry = configEntryInput(decodeJsonBody<Record<string, unknown>>(req.body, { type: 'object' }));
      const cas = casParam(req);
      const r = await deps.rpc.write(
        { v: 1, type: 'config-entry-set', Entry: entry, ...(cas !== undefined ? { Cas: cas } : {}) },
        { token: req.token },
        datacenterTarget(req),
      );
      return { body: r.value === true, headers: { 'X-Consul-Index': String(r.index) } };
    }),
    route('GET', '/v1/config/:kind', async (req) => {
      const kind = configEntryKind(param(req, 'kind', 'config entry kind'));
      const r = await read<ConfigEntry[]>(deps, req, 'ConfigEntry.List', { kind });
      return reply(r.meta, r.value, req);
    }),
    route('GET', '/v1/config/:kind/:name', async (req) => {
      const kind = configEntryKind(param(req, 'kind', 'config entry kind'));
      const name = param(req, 'name', 'config entry name');
      const r = await read<ConfigEntry | null>(deps, req, 'ConfigEntry.Get', { kind, name });
      if (!r.value) return { ...reply(r.meta, `Config entry not found for "${kind}" / "${name}"`), status: 404 };
      return reply(r.meta, r.value);
    }),
    route('DELETE', '/v1/config/:kind/:name', async (req) => {
      const kind = configEntryKind(param(req, 'kind', 'config entry kind'));
      const name = param(req, 'name', 'config entry name');
      const cas = casParam(req);
      const r = await deps.rpc.write(
        { v: 1, type: 'config-entry-delete', Kind: kind, Name: name, ...(cas !== undefined ? { Cas: cas } : {}) },
        { token: req.token },
        datacenterTarget(req),
      );
      // Consul answers a CAS delete with whether it deleted, a plain one with an empty object.
      return { body: cas !== undefined ? r.value === true : {}, headers: { 'X-Consul-Index': String(r.index) } };
    }),
  ];
}
