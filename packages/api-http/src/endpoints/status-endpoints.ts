import type { HttpEndpoint } from '@proconsul/kernel';
import { checkDatacenter, route, type EndpointDeps } from './endpoint-support.js';

/** `/v1/status/*`: not ACL-protected, as in Consul; a client agent asks a server. */
export function statusEndpoints(deps: EndpointDeps): HttpEndpoint[] {
  return [
    route('GET', '/v1/status/leader', async (req) => {
      checkDatacenter(req, deps.config);
      // A JSON string, as Consul answers (`"10.0.0.1:8300"`), not bare text.
      return {
        body: JSON.stringify(await deps.rpc.serverCall('Status.Leader', {}, { token: req.token })),
        headers: { 'Content-Type': 'application/json' },
      };
    }),
    route('GET', '/v1/status/peers', async (req) => {
      checkDatacenter(req, deps.config);
      return { body: await deps.rpc.serverCall('Status.Peers', {}, { token: req.token }) };
    }),
  ];
}
