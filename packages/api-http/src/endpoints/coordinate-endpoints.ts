import { type Coordinate, type HttpEndpoint } from '@proconsul/kernel';
import { datacenterTarget, decodeJsonBody } from '@proconsul/http';
import { COORDINATE_UPDATE, LIST_COORDINATE_DATACENTERS } from '@proconsul/server';
import { authorize, param, read, reply, route, type EndpointDeps } from './endpoint-support.js';

/**
 * `/v1/coordinate/*`. Node coordinates are catalog data (blocking, consistency modes,
 * `?filter`, `node:read` filtering on the server and again here); the datacenters' WAN
 * coordinates come from any server's WAN pool, unprotected as in Consul.
 */
export function coordinateEndpoints(deps: EndpointDeps): HttpEndpoint[] {
  return [
    route('GET', '/v1/coordinate/datacenters', async (req) => ({
      body: await deps.rpc.serverCall(LIST_COORDINATE_DATACENTERS, {}, { token: req.token }),
    })),
    route('GET', '/v1/coordinate/nodes', async (req) => {
      const authz = await authorize(deps, req);
      const r = await read<Coordinate[]>(deps, req, 'Coordinate.ListNodes', {});
      return reply(
        r.meta,
        r.value.filter((c) => authz.allowed('node', c.Node, 'read')),
        req,
      );
    }),
    route('GET', '/v1/coordinate/node/:node', async (req) => {
      const node = param(req, 'node', 'node name');
      const authz = await authorize(deps, req);
      const r = await read<Coordinate[]>(deps, req, 'Coordinate.Node', { node });
      const out = r.value.filter((c) => authz.allowed('node', c.Node, 'read'));
      // Consul: a node without coordinates (or one the token cannot see) is a 404.
      return out.length === 0 ? { ...reply(r.meta, ''), status: 404 } : reply(r.meta, out, req);
    }),
    route('PUT', '/v1/coordinate/update', async (req) => {
      const body = decodeJsonBody<Record<string, unknown>>(req.body, { type: 'object' });
      const target = datacenterTarget(req, typeof body['Datacenter'] === 'string' ? body['Datacenter'] : undefined);
      const { Datacenter: _dc, ...update } = body;
      await deps.rpc.serverCall(COORDINATE_UPDATE, update, { token: req.token }, target);
      return { body: true };
    }),
  ];
}
