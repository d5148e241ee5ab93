import { BadRequest, type CheckStatus, type HttpEndpoint, type HttpRequest } from '@proconsul/kernel';
import { decodeJsonBody } from '@proconsul/http';
import { CheckNotFound, pascalKeys } from '@proconsul/agent';
import type { AgentEndpointDeps } from './agent-endpoint-deps.js';
import { filteredHeader, hashBlocking } from './agent-hash-blocking.js';
import { agentCheckJson } from './agent-json.js';
import { authorize, param, require, route } from './endpoint-support.js';

const updateSchema = {
  type: 'object',
  properties: { Status: { type: 'string' }, Output: { type: 'string' } },
};

/** `/v1/agent/checks`, `/v1/agent/check/*`: this agent's checks and the TTL updates applications send. */
export function agentCheckEndpoints(deps: AgentEndpointDeps): HttpEndpoint[] {
  const { local, config } = deps;

  /** service:write on the check's service, node:write for a node check (Consul's vetCheckUpdate). */
  const mayWrite = async (req: HttpRequest, id: string) => {
    const c = local.state.check(id);
    if (!c) throw CheckNotFound(id);
    const authz = await authorize(deps, req);
    if (c.check.ServiceID) require(authz, 'service', c.check.ServiceName, 'write');
    else require(authz, 'node', config.nodeName, 'write');
  };
  const ttl = (status: CheckStatus) =>
    route('PUT', `/v1/agent/check/${status === 'passing' ? 'pass' : status === 'warning' ? 'warn' : 'fail'}/:id`, async (req) => {
      const id = param(req, 'id', 'check ID');
      await mayWrite(req, id);
      local.updateTtl(id, status, req.query.get('note') ?? '');
      return {};
    });

  return [
    route('GET', '/v1/agent/checks', async (req) => {
      const authz = await authorize(deps, req);
      return hashBlocking(
        req,
        local.state,
        () => {
          const out: Record<string, unknown> = {};
          let filtered = false;
          for (const c of local.state.checks()) {
            const ok = c.check.ServiceID
              ? authz.allowed('service', c.check.ServiceName, 'read')
              : authz.allowed('node', config.nodeName, 'read');
            if (ok) out[c.check.CheckID] = agentCheckJson(c, config.nodeName);
            else filtered = true;
          }
          return { body: out, headers: filteredHeader(filtered) };
        },
        { filterable: true },
      );
    }),
    route('PUT', '/v1/agent/check/register', async (req) => {
      const body = pascalKeys(decodeJsonBody<Record<string, unknown>>(req.body, { type: 'object' }));
      if (typeof body['Name'] !== 'string' || body['Name'] === '') throw BadRequest('Missing check name');
      const authz = await authorize(deps, req);
      const serviceId = typeof body['ServiceID'] === 'string' ? body['ServiceID'] : '';
      const service = serviceId ? local.state.service(serviceId) : undefined;
      if (service) require(authz, 'service', service.service.Service, 'write');
      else if (!serviceId) require(authz, 'node', config.nodeName, 'write');
      await local.addCheck(body, 'api', req.token);
      return {};
    }),
    route('PUT', '/v1/agent/check/deregister/:id', async (req) => {
      const id = param(req, 'id', 'check ID');
      await mayWrite(req, id);
      await local.removeCheck(id);
      return {};
    }),
    ttl('passing'),
    ttl('warning'),
    ttl('critical'),
    route('PUT', '/v1/agent/check/update/:id', async (req) => {
      const id = param(req, 'id', 'check ID');
      const raw = decodeJsonBody<Record<string, unknown>>(req.body, { type: 'object' });
      const body = decodeJsonBody<{ Status?: string; Output?: string }>(
        Buffer.from(JSON.stringify(pascalKeys(raw))),
        updateSchema,
      );
      const status = body.Status ?? '';
      if (status !== 'passing' && status !== 'warning' && status !== 'critical')
        throw BadRequest(`Invalid check status: '${status}'`);
      await mayWrite(req, id);
      local.updateTtl(id, status, body.Output ?? '');
      return {};
    }),
  ];
}
