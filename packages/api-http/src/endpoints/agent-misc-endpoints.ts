import type { HttpEndpoint } from '@proconsul/kernel';
import type { AgentEndpointDeps } from './agent-endpoint-deps.js';
import { enableParam } from './agent-service-endpoints.js';
import { authorize, require, route } from './endpoint-support.js';

/** `PUT /v1/agent/maintenance` (node maintenance mode) and `PUT /v1/agent/reload`. */
export function agentMiscEndpoints(deps: AgentEndpointDeps): HttpEndpoint[] {
  return [
    route('PUT', '/v1/agent/maintenance', async (req) => {
      const enable = enableParam(req.query.get('enable'));
      require(await authorize(deps, req), 'node', deps.config.nodeName, 'write');
      await deps.local.setNodeMaintenance(enable, req.query.get('reason') ?? '');
      return {};
    }),
    route('PUT', '/v1/agent/reload', async (req) => {
      require(await authorize(deps, req), 'agent', deps.config.nodeName, 'write');
      await deps.reload.reload();
      return {};
    }),
  ];
}
