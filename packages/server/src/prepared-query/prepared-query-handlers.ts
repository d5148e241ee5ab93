import { DEFAULT_QUERY, type PreparedQuery, type PreparedQueryExecuteResponse, type RpcCaller } from '@proconsul/kernel';
import type { ServerHandler } from '../server/server-handler.js';
import type { ExecuteArgs, ExecuteRemoteArgs, QueryExecutor } from './query-executor.js';
import { PreparedQueryInvalid } from './prepared-query-errors.js';

export const EXECUTE_QUERY = 'PreparedQuery.Execute';
export const EXECUTE_REMOTE_QUERY = 'PreparedQuery.ExecuteRemote';
export const EXPLAIN_QUERY = 'PreparedQuery.Explain';

/** Reads the stored query as the caller may see it: throws PermissionDenied without query:read (Consul's explain rule). */
export type VisibleQuery = (id: string, caller: RpcCaller) => Promise<PreparedQuery | null>;

function record(args: unknown): Record<string, unknown> {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) throw PreparedQueryInvalid('arguments must be an object');
  return args as Record<string, unknown>;
}

function optString(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw PreparedQueryInvalid(`${field} must be a string`);
  return v;
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const strMap = (v: unknown): Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'))
    : {};

/** A query from another datacenter's server, reduced to what execution reads, so a malformed one cannot crash it. */
function remoteShape(q: PreparedQuery): PreparedQuery {
  const s = q.Service;
  return {
    ...q,
    Token: '',
    DNS: { TTL: typeof q.DNS?.TTL === 'string' ? q.DNS.TTL : '' },
    Service: {
      Service: s.Service,
      Failover: { NearestN: 0, Datacenters: [] },
      OnlyPassing: s.OnlyPassing === true,
      IgnoreCheckIDs: list(s.IgnoreCheckIDs),
      Near: '',
      Tags: list(s.Tags),
      NodeMeta: strMap(s.NodeMeta),
      ServiceMeta: strMap(s.ServiceMeta),
    },
  };
}

function executeArgs(raw: unknown): ExecuteArgs {
  const a = record(raw);
  const query = optString(a.query, 'query');
  if (!query) throw PreparedQueryInvalid('Missing query ID or name');
  const limit = a.limit === undefined || a.limit === null ? 0 : a.limit;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0)
    throw PreparedQueryInvalid('limit must be a non-negative integer');
  return {
    query,
    limit,
    agent: optString(a.agent, 'agent') ?? '',
    segment: optString(a.segment, 'segment') ?? '',
    near: optString(a.near, 'near') ?? '',
  };
}

/**
 * The prepared-query RPCs. None needs a rule to run: Consul lets anyone who knows a query
 * execute it, and filters what it returns by the executing token's service and node read
 * rights; explain needs query:read on the query, checked by `visible`.
 */
export function preparedQueryHandlers(executor: () => QueryExecutor, visible: VisibleQuery): ServerHandler[] {
  return [
    {
      name: EXECUTE_QUERY,
      leaderOnly: false,
      access: null,
      handle: async (args, caller: RpcCaller): Promise<PreparedQueryExecuteResponse> =>
        executor().execute(executeArgs(args), caller),
    },
    {
      name: EXECUTE_REMOTE_QUERY,
      leaderOnly: false,
      access: null,
      handle: async (args, caller: RpcCaller) => {
        const a = record(args);
        const q = a.query as PreparedQuery | undefined;
        if (typeof q !== 'object' || q === null || typeof q.Service?.Service !== 'string')
          throw PreparedQueryInvalid('ExecuteRemote needs a rendered query');
        const limit = typeof a.limit === 'number' && a.limit > 0 ? a.limit : 0;
        return executor().executeRemote({ query: remoteShape(q), limit } satisfies ExecuteRemoteArgs, caller);
      },
    },
    {
      name: EXPLAIN_QUERY,
      leaderOnly: false,
      access: null,
      async handle(args, caller: RpcCaller) {
        const a = executeArgs(args);
        const rendered = executor().lookup(a.query, a.segment);
        const seen = await visible(rendered.ID, caller);
        // Consul explains the rendered query; the caller's view decides whether the token shows.
        return { Query: { ...rendered, Token: seen?.Token ?? rendered.Token } };
      },
    },
  ];
}

/** Read options for the handlers' own state reads: this server's state, as Consul's prepared queries read it. */
export const LOCAL_READ = { ...DEFAULT_QUERY, allowStale: true };
