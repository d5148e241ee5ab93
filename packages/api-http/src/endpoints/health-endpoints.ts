import { BadRequest, type CheckServiceNode, type HealthCheck, type HttpEndpoint } from '@proconsul/kernel';
import {
  authorize,
  filterExpression,
  keepAll,
  nearArg,
  nodeMetaFilter,
  nodeMetaPairs,
  param,
  read,
  reply,
  route,
  type EndpointDeps,
} from './endpoint-support.js';
import { readMaybeCached, withHeaders } from './cached-read.js';

const STATES = new Set(['any', 'passing', 'warning', 'critical']);

/** `/v1/health/*`: what blocking clients (consul-template, Prometheus, Spring) poll most. */
export function healthEndpoints(deps: EndpointDeps): HttpEndpoint[] {
  const visible = async (req: Parameters<HttpEndpoint['handle']>[0]) => {
    const authz = await authorize(deps, req);
    return (c: HealthCheck) =>
      authz.allowed('node', c.Node, 'read') && (!c.ServiceName || authz.allowed('service', c.ServiceName, 'read'));
  };
  return [
    route('GET', '/v1/health/node/:node', async (req) => {
      filterExpression(req); // a malformed filter is a 400 before any blocking wait
      const node = param(req, 'node', 'node name');
      const ok = await visible(req);
      const r = await read<HealthCheck[]>(deps, req, 'Health.NodeChecks', { node });
      return reply(r.meta, keepAll(r.value, ok), req);
    }),
    route('GET', '/v1/health/checks/:service', async (req) => {
      filterExpression(req); // a malformed filter is a 400 before any blocking wait
      const service = param(req, 'service', 'service name');
      const ok = await visible(req);
      const nodeMeta = nodeMetaPairs(req);
      const r = await read<HealthCheck[]>(deps, req, 'Health.ServiceChecks', {
        service,
        ...(nodeMeta ? { nodeMeta } : {}),
        ...nearArg(req, deps.config),
      });
      return reply(r.meta, keepAll(r.value, ok), req);
    }),
    route('GET', '/v1/health/state/:state', async (req) => {
      filterExpression(req); // a malformed filter is a 400 before any blocking wait
      const state = param(req, 'state', 'check state');
      if (!STATES.has(state)) throw BadRequest(`Invalid check state "${state}": must be one of any, passing, warning, critical`);
      const ok = await visible(req);
      const nodeMeta = nodeMetaPairs(req);
      const r = await read<HealthCheck[]>(deps, req, 'Health.ChecksInState', {
        state,
        ...(nodeMeta ? { nodeMeta } : {}),
        ...nearArg(req, deps.config),
      });
      return reply(r.meta, keepAll(r.value, ok), req);
    }),
    route('GET', '/v1/health/service/:service', async (req) => {
      filterExpression(req); // a malformed filter is a 400 before any blocking wait
      const service = param(req, 'service', 'service name');
      const authz = await authorize(deps, req);
      const passing = req.query.has('passing') && req.query.get('passing') !== 'false';
      const { reply: r, cacheHeaders } = await readMaybeCached<CheckServiceNode[]>(deps, req, 'Health.ServiceNodes', {
        service,
        tags: req.query.getAll('tag'),
        passingOnly: passing,
        ...nearArg(req, deps.config),
      });
      const meta = nodeMetaFilter(req);
      const list = authz.allowed('service', service, 'read')
        ? keepAll(r.value, (e) => authz.allowed('node', e.Node.Node, 'read') && (!meta || meta(e.Node.Meta)))
        : [];
      return withHeaders(reply(r.meta, list, req), cacheHeaders);
    }),
  ];
}
