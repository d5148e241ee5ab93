import { BadRequest, type HttpEndpoint, type HttpRequest } from '@proconsul/kernel';
import { decodeJsonBody, datacenterTarget } from '@proconsul/http';
import { AUTOPILOT_RPC, parseAutopilotConfigBody, RAFT_RPC } from '@proconsul/server';
import { authorize, require, route, type EndpointDeps } from './endpoint-support.js';

/**
 * `/v1/operator/raft/*` and `/v1/operator/autopilot/*`. Each runs as a server RPC, so a
 * client agent forwards it and a follower hands it to the leader (`?stale` lets any
 * server answer reads). operator:read for reads, operator:write for changes, as Consul.
 */
export function operatorEndpoints(deps: EndpointDeps): HttpEndpoint[] {
  const call = (req: HttpRequest, name: string, args: unknown = {}) =>
    deps.rpc.serverCall(name, args, { token: req.token }, datacenterTarget(req));
  const guard = async (req: HttpRequest, access: 'read' | 'write') => {
    require(await authorize(deps, req), 'operator', '', access);
  };
  const stale = (req: HttpRequest) => req.query.has('stale');
  return [
    route('GET', '/v1/operator/raft/configuration', async (req) => {
      await guard(req, 'read');
      return { body: await call(req, stale(req) ? RAFT_RPC.configurationStale : RAFT_RPC.configuration) };
    }),
    route('DELETE', '/v1/operator/raft/peer', async (req) => {
      const id = req.query.get('id') ?? '';
      const address = req.query.get('address') ?? '';
      if (!id && !address)
        throw BadRequest("Must specify either ?id with the server's ID or ?address with IP:port of peer to remove");
      await guard(req, 'write');
      await call(req, RAFT_RPC.removePeer, id ? { id } : { address });
      return { body: '' };
    }),
    route('POST', '/v1/operator/raft/transfer-leader', async (req) => {
      await guard(req, 'write');
      const id = req.query.get('id') ?? '';
      return { body: await call(req, RAFT_RPC.transferLeader, id ? { id } : {}) };
    }),
    route('GET', '/v1/operator/autopilot/configuration', async (req) => {
      await guard(req, 'read');
      return { body: await call(req, stale(req) ? AUTOPILOT_RPC.getConfigurationStale : AUTOPILOT_RPC.getConfiguration) };
    }),
    route('PUT', '/v1/operator/autopilot/configuration', async (req) => {
      const config = parseAutopilotConfigBody(decodeJsonBody<unknown>(req.body, { type: 'object' }));
      let cas: number | undefined;
      if (req.query.has('cas')) {
        const v = req.query.get('cas') ?? '';
        if (!/^\d+$/.test(v))
          throw BadRequest(`Error parsing cas value: strconv.ParseUint: parsing ${JSON.stringify(v)}: invalid syntax`);
        cas = Number(v);
      }
      await guard(req, 'write');
      const ok = await call(req, AUTOPILOT_RPC.setConfiguration, { config, ...(cas !== undefined ? { cas } : {}) });
      // Without ?cas Consul answers true whatever the outcome of the write's result.
      return { body: cas === undefined ? true : ok === true };
    }),
    route('GET', '/v1/operator/autopilot/health', async (req) => {
      await guard(req, 'read');
      const health = (await call(req, AUTOPILOT_RPC.serverHealth)) as { Healthy: boolean };
      // Consul answers 429 while unhealthy so load balancers' health checks can use the endpoint.
      return { status: health.Healthy ? 200 : 429, body: health };
    }),
    route('GET', '/v1/operator/autopilot/state', async (req) => {
      await guard(req, 'read');
      return { body: await call(req, AUTOPILOT_RPC.state) };
    }),
  ];
}
