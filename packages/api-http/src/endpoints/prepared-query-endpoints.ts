import {
  BadRequest,
  NotFound,
  type HttpEndpoint,
  type HttpRequest,
  type PreparedQuery,
  type PreparedQueryExecuteResponse,
} from '@proconsul/kernel';
import { decodeJsonBody, datacenterTarget } from '@proconsul/http';
import { param, read, reply, route, type EndpointDeps } from './endpoint-support.js';
import { preparedQueryInput } from './prepared-query-input.js';

// The server-side RPC names (@proconsul/server's prepared-query handlers): a plugin names them, never imports them.
const EXECUTE = 'PreparedQuery.Execute';
const EXPLAIN = 'PreparedQuery.Explain';

function limitParam(req: HttpRequest): number {
  const raw = req.query.get('limit');
  if (raw === null || raw === undefined || raw === '') return 0;
  if (!/^\d+$/.test(raw)) throw BadRequest(`Bad limit: "${raw}" is not a non-negative integer`);
  return Number(raw);
}

/**
 * `/v1/query`: prepared queries. Management is written through raft and vetted by the
 * leader (`query` rules on the name); execution and explain run on a server as named
 * RPCs so a client agent and `?dc=` behave the same as a server.
 */
export function preparedQueryEndpoints(deps: EndpointDeps): HttpEndpoint[] {
  const caller = (req: HttpRequest) => ({ token: req.token });
  const body = (req: HttpRequest) => decodeJsonBody<Record<string, unknown>>(req.body, { type: 'object' });
  const runArgs = (req: HttpRequest) => ({
    query: param(req, 'id', 'query ID or name'),
    agent: deps.config.nodeName,
    segment: '',
    near: req.query.get('near') ?? '',
    limit: limitParam(req),
  });
  return [
    route('POST', '/v1/query', async (req) => {
      const q = preparedQueryInput(body(req), '');
      const r = await deps.rpc.write(
        { v: 1, type: 'prepared-query-set', Query: q, Create: true },
        caller(req),
        datacenterTarget(req),
      );
      return { body: { ID: r.value }, headers: { 'X-Consul-Index': String(r.index) } };
    }),
    route('GET', '/v1/query', async (req) => {
      const r = await read<PreparedQuery[]>(deps, req, 'PreparedQuery.List', {});
      return reply(r.meta, r.value, req);
    }),
    route('GET', '/v1/query/:id', async (req) => {
      const id = param(req, 'id', 'query ID');
      const r = await read<PreparedQuery | null>(deps, req, 'PreparedQuery.Get', { id });
      if (!r.value) throw NotFound('Query not found');
      // Consul answers a read of one query with a list of one.
      return reply(r.meta, [r.value]);
    }),
    route('PUT', '/v1/query/:id', async (req) => {
      const q = preparedQueryInput(body(req), param(req, 'id', 'query ID'));
      await deps.rpc.write({ v: 1, type: 'prepared-query-set', Query: q, Create: false }, caller(req), datacenterTarget(req));
      return { body: undefined };
    }),
    route('DELETE', '/v1/query/:id', async (req) => {
      const id = param(req, 'id', 'query ID');
      await deps.rpc.write({ v: 1, type: 'prepared-query-delete', ID: id }, caller(req), datacenterTarget(req));
      return { body: undefined };
    }),
    route('GET', '/v1/query/:id/execute', async (req) => {
      if (req.query.get('connect') !== null && req.query.get('connect') !== undefined && req.query.get('connect') !== 'false')
        throw BadRequest('Connect is not supported by prepared queries on this agent');
      const r = (await deps.rpc.serverCall(
        EXECUTE,
        runArgs(req),
        caller(req),
        datacenterTarget(req),
      )) as PreparedQueryExecuteResponse;
      return { body: r };
    }),
    route('GET', '/v1/query/:id/explain', async (req) => {
      const r = await deps.rpc.serverCall(EXPLAIN, runArgs(req), caller(req), datacenterTarget(req));
      return { body: r };
    }),
  ];
}
