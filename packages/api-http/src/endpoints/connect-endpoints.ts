import type { CheckServiceNode, HttpEndpoint, HttpRequest, ServiceNode } from '@proconsul/kernel';
import { ConnectNotEnabled } from '../http-errors.js';
import {
  authorize,
  checkDatacenter,
  filterExpression,
  nodeMetaPairs,
  param,
  read,
  reply,
  require,
  route,
  type EndpointDeps,
} from './endpoint-support.js';

/**
 * The service-mesh reads tools call even where there is no mesh. Proconsul has no
 * Connect: no proxies, gateways or CA. The listings are correctly empty — with Consul's
 * headers and blocking on the service they name, so a watcher waits instead of spinning —
 * and the CA roots answer what Consul answers with Connect disabled.
 */
export function connectEndpoints(deps: EndpointDeps): HttpEndpoint[] {
  /** An empty listing for `service`, indexed and blocking like that service's own reads. */
  const emptyFor = async <T>(req: HttpRequest, service: string, query: 'Catalog.ServiceNodes' | 'Health.ServiceNodes') => {
    filterExpression(req); // a malformed ?filter= is still a 400
    nodeMetaPairs(req);
    const r = await read<T[]>(deps, req, query, { service });
    return reply(r.meta, []);
  };
  const caRoots = async (req: HttpRequest) => {
    checkDatacenter(req, deps.config);
    throw ConnectNotEnabled();
  };
  return [
    route('GET', '/v1/catalog/connect/:service', async (req) =>
      emptyFor<ServiceNode>(req, param(req, 'service', 'service name'), 'Catalog.ServiceNodes'),
    ),
    route('GET', '/v1/health/connect/:service', async (req) =>
      emptyFor<CheckServiceNode>(req, param(req, 'service', 'service name'), 'Health.ServiceNodes'),
    ),
    route('GET', '/v1/health/ingress/:service', async (req) =>
      emptyFor<CheckServiceNode>(req, param(req, 'service', 'service name'), 'Health.ServiceNodes'),
    ),
    route('GET', '/v1/catalog/gateway-services/:gateway', async (req) => {
      const gateway = param(req, 'gateway', 'gateway name');
      // Consul refuses a gateway the token may not read rather than listing nothing.
      require(await authorize(deps, req), 'service', gateway, 'read');
      return emptyFor<ServiceNode>(req, gateway, 'Catalog.ServiceNodes');
    }),
    route('GET', '/v1/connect/ca/roots', caRoots),
    route('GET', '/v1/agent/connect/ca/roots', caRoots),
  ];
}
