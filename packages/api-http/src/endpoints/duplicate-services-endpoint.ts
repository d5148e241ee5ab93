import type { HttpEndpoint } from '@proconsul/kernel';
import type { DuplicateServices } from './duplicate-services.js';
import { authorize, route, type EndpointDeps } from './endpoint-support.js';

/**
 * `GET /v1/proconsul/duplicate-services` (beyond Consul, additive): the service IDs this
 * agent saw registered on several nodes, as `[{ServiceID, Service, Nodes}]`, limited to the
 * services and nodes the token may read. The same data as agent/self
 * `Stats.proconsul_duplicate_services`, without needing agent:read.
 */
export function duplicateServicesEndpoint(deps: EndpointDeps, registry: DuplicateServices): HttpEndpoint {
  return route('GET', '/v1/proconsul/duplicate-services', async (req) => {
    const authz = await authorize(deps, req);
    const body = registry
      .list()
      .filter((d) => authz.allowed('service', d.service, 'read'))
      .map((d) => ({
        ServiceID: d.serviceId,
        Service: d.service,
        Nodes: d.nodes.filter((n) => authz.allowed('node', n, 'read')),
      }));
    return { body };
  });
}
