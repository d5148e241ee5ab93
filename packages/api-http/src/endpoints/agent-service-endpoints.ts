import { BadRequest, NotFound, type HttpEndpoint } from '@proconsul/kernel';
import { decodeJsonBody } from '@proconsul/http';
import type { AgentEndpointDeps } from './agent-endpoint-deps.js';
import { parseEnable } from './agent-endpoint-deps.js';
import { contentHash, filteredHeader, hashBlocking } from './agent-hash-blocking.js';
import { agentServiceJson } from './agent-json.js';
import { warningHeader } from './duplicate-services.js';
import { authorize, param, require, route } from './endpoint-support.js';

/** `/v1/agent/services`, `/v1/agent/service/*`: the services registered on this agent. */
export function agentServiceEndpoints(deps: AgentEndpointDeps): HttpEndpoint[] {
  const { local, config } = deps;
  return [
    route('GET', '/v1/agent/services', async (req) => {
      const authz = await authorize(deps, req);
      return hashBlocking(
        req,
        local.state,
        () => {
          const out: Record<string, unknown> = {};
          let filtered = false;
          for (const s of local.state.services()) {
            if (authz.allowed('service', s.service.Service, 'read'))
              out[s.service.ID] = agentServiceJson(s.service, config.datacenter);
            else filtered = true;
          }
          return { body: out, headers: filteredHeader(filtered) };
        },
        { filterable: true },
      );
    }),
    route('GET', '/v1/agent/service/:id', async (req) => {
      const id = param(req, 'id', 'service ID');
      const authz = await authorize(deps, req);
      return hashBlocking(req, local.state, () => {
        const s = local.state.service(id);
        if (!s) throw NotFound(`unknown service ID: ${id}`);
        require(authz, 'service', s.service.Service, 'read');
        const body = agentServiceJson(s.service, config.datacenter);
        return { body: { ...body, ContentHash: contentHash(body) } };
      });
    }),
    route('PUT', '/v1/agent/service/register', async (req) => {
      const body = decodeJsonBody<Record<string, unknown>>(req.body, { type: 'object' });
      const name = serviceName(body);
      const authz = await authorize(deps, req);
      require(authz, 'service', name, 'write');
      const replace = req.query.has('replace-existing-checks') && req.query.get('replace-existing-checks') !== 'false';
      await local.addService(body, 'api', { replaceExistingChecks: replace, ...(req.token ? { token: req.token } : {}) });
      const warning = await deps.duplicates?.({
        node: config.nodeName,
        service: name,
        serviceId: serviceId(body) ?? name,
        ...(req.token ? { token: req.token } : {}),
        canSeeNode: (n) => authz.allowed('node', n, 'read'),
      });
      return { headers: warningHeader(warning) };
    }),
    route('PUT', '/v1/agent/service/deregister/:id', async (req) => {
      const id = param(req, 'id', 'service ID');
      const s = local.state.service(id);
      if (s) require(await authorize(deps, req), 'service', s.service.Service, 'write');
      await local.removeService(id);
      return {};
    }),
    route('PUT', '/v1/agent/service/maintenance/:id', async (req) => {
      const id = param(req, 'id', 'service ID');
      const enable = enableParam(req.query.get('enable'));
      const s = local.state.service(id);
      if (s) require(await authorize(deps, req), 'service', s.service.Service, 'write');
      await local.setServiceMaintenance(id, enable, req.query.get('reason') ?? '');
      return {};
    }),
  ];
}

/** Consul's 400s for ?enable. */
export function enableParam(raw: string | null): boolean {
  if (raw === null || raw === '') throw BadRequest('Missing value for enable');
  const v = parseEnable(raw);
  if (v === undefined) throw BadRequest(`Invalid value for enable: "${raw}"`);
  return v;
}

function serviceId(body: Record<string, unknown>): string | undefined {
  for (const [k, v] of Object.entries(body)) if (k.toLowerCase() === 'id' && typeof v === 'string' && v) return v;
  return undefined;
}

function serviceName(body: Record<string, unknown>): string {
  for (const [k, v] of Object.entries(body)) {
    const key = k.toLowerCase();
    if ((key === 'name' || key === 'service') && typeof v === 'string' && v) return v;
  }
  throw BadRequest('Missing service name');
}
