import type { HttpEndpoint } from '@proconsul/kernel';
import { route, type EndpointDeps } from './endpoint-support.js';
import { datacenterTarget } from '@proconsul/http';

/** `/v1/status/*`: not ACL-protected, as in Consul; a client agent asks a server. */
export function statusEndpoints(deps: EndpointDeps): HttpEndpoint[] {
  return [
    route('GET', '/v1/status/leader', async (req) => {
      // A JSON string, as Consul answers (`"10.0.0.1:8300"`), not bare text.
      return {
        body: JSON.stringify(await deps.rpc.serverCall('Status.Leader', {}, { token: req.token }, datacenterTarget(req))),
        headers: { 'Content-Type': 'application/json' },
      };
    }),
    route('GET', '/v1/status/peers', async (req) => {
      return { body: await deps.rpc.serverCall('Status.Peers', {}, { token: req.token }, datacenterTarget(req)) };
    }),
  ];
}
