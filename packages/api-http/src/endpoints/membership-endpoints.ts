import { BadRequest, Membership, type HttpEndpoint, type HttpRequest } from '@proconsul/kernel';
import { applyFilter } from '@proconsul/state';
import { authorize, filterExpression, param, require, route, type EndpointDeps } from './endpoint-support.js';
import { memberJson } from './member-json.js';

/** Called after a successful `PUT /v1/agent/leave`: the agent shuts down, as Consul's does. */
export type ShutdownHook = () => void;

/** `/v1/agent/members`, `join`, `leave`, `force-leave` over the membership plugin. */
export function membershipEndpoints(
  deps: EndpointDeps,
  membership: Membership | undefined,
  shutdown?: ShutdownHook,
): HttpEndpoint[] {
  const need = (): Membership => {
    if (!membership) throw BadRequest('gossip membership is not enabled on this agent (no membership plugin in plugins.json)');
    return membership;
  };
  const pool = (req: HttpRequest) => (isTrue(req.query.get('wan')) ? 'wan' : 'lan');
  return [
    route('GET', '/v1/agent/members', async (req) => {
      const filter = filterExpression(req);
      const authz = await authorize(deps, req);
      const members = membership ? membership.members(pool(req)) : [];
      const body = members.filter((m) => authz.allowed('node', m.name, 'read')).map(memberJson);
      // Consul documents ?filter= here (`consul members -filter`), over the member JSON.
      return { body: filter ? applyFilter(body, filter) : body };
    }),
    route('PUT', '/v1/agent/join/:address', async (req) => {
      const address = param(req, 'address', 'address');
      require(await authorize(deps, req), 'agent', deps.config.nodeName, 'write');
      const p = pool(req);
      if (p === 'wan' && !deps.config.server) throw BadRequest('Must be a server to join the WAN pool');
      const n = await need().join([address], p);
      if (n === 0) throw BadRequest(`Failed to join ${address}`);
      return { body: '' };
    }),
    route('PUT', '/v1/agent/leave', async (req) => {
      require(await authorize(deps, req), 'agent', deps.config.nodeName, 'write');
      await need().leave();
      if (shutdown) setImmediate(shutdown);
      return { body: '' };
    }),
    route('PUT', '/v1/agent/force-leave/:node', async (req) => {
      const node = param(req, 'node', 'node name');
      require(await authorize(deps, req), 'operator', '', 'write');
      await need().forceLeave(node, req.query.has('prune'), pool(req));
      return { body: '' };
    }),
  ];
}

function isTrue(v: string | null): boolean {
  return v !== null && v !== '0' && v !== 'false';
}
