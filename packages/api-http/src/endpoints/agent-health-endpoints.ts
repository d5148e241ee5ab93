import type { HttpEndpoint, HttpRequest, HttpResponse, LocalService } from '@proconsul/kernel';
import type { AgentEndpointDeps } from './agent-endpoint-deps.js';
import { hashBlocking } from './agent-hash-blocking.js';
import { agentCheckJson, agentServiceJson, aggregatedStatus, statusCode } from './agent-json.js';
import { authorize, param, require, route } from './endpoint-support.js';

/**
 * `/v1/agent/health/service/name/:name` and `/id/:id`: the local view of a service's
 * health (its checks and the node's), for load balancers asking this very agent. Status
 * code carries the verdict: 200 passing, 429 warning, 503 critical or maintenance.
 */
export function agentHealthEndpoints(deps: AgentEndpointDeps): HttpEndpoint[] {
  const { local, config } = deps;
  const info = (s: LocalService) => {
    const checks = local.state.checks().filter((c) => c.check.ServiceID === s.service.ID || c.check.ServiceID === '');
    const status = aggregatedStatus(checks);
    return {
      code: statusCode(status),
      status,
      body: {
        AggregatedStatus: status,
        Service: agentServiceJson(s.service, config.datacenter),
        Checks: checks.map((c) => agentCheckJson(c, config.nodeName)),
      },
    };
  };
  const text = (req: HttpRequest) => req.query.get('format') === 'text';

  return [
    route('GET', '/v1/agent/health/service/id/:id', async (req) => {
      const id = param(req, 'id', 'service ID');
      const authz = await authorize(deps, req);
      return hashBlocking(req, local.state, (): HttpResponse => {
        const s = local.state.service(id);
        if (!s) {
          const reason = `ServiceId ${id} not found`;
          return text(req)
            ? { status: 404, body: reason }
            : { status: 404, body: { AggregatedStatus: 'critical', Service: null, Checks: null } };
        }
        require(authz, 'service', s.service.Service, 'read');
        const r = info(s);
        return { status: r.code, body: text(req) ? r.status : r.body };
      });
    }),
    route('GET', '/v1/agent/health/service/name/:name', async (req) => {
      const name = param(req, 'name', 'service name');
      const authz = await authorize(deps, req);
      require(authz, 'service', name, 'read');
      return hashBlocking(req, local.state, (): HttpResponse => {
        let code = 404;
        let status = `ServiceName ${name} Not Found`;
        const result: unknown[] = [];
        for (const s of local.state.services()) {
          if (s.service.Service !== name) continue;
          const r = info(s);
          result.push(r.body);
          // The worst instance decides (200 < 429 < 503), as Consul.
          if (code === 404 || r.code > code) {
            code = r.code;
            status = r.status;
          }
        }
        return { status: code, body: text(req) ? status : result };
      });
    }),
  ];
}
