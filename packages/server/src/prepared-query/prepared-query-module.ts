import type { ContainerModuleLoadOptions, ResolutionContext } from 'inversify';
import {
  DatacenterRouter,
  Logger,
  RuntimeConfig,
  type CheckServiceNode,
  type PreparedQuery,
  type PreparedQueryExecuteResponse,
} from '@proconsul/kernel';
import { StateStore } from '@proconsul/state';
import { ClusterRpc } from '../server/cluster-rpc.js';
import { ServerHandler } from '../server/server-handler.js';
import { QueryExecutor } from './query-executor.js';
import { EXECUTE_REMOTE_QUERY, LOCAL_READ, preparedQueryHandlers } from './prepared-query-handlers.js';

const HANDLER_COUNT = 3;

/** The prepared-query RPCs; one executor per container, made on first use (the RPC router injects the handlers). */
export function bindPreparedQueries(bind: ContainerModuleLoadOptions['bind']): void {
  let executor: QueryExecutor | undefined;
  const make = (ctx: ResolutionContext) => {
    const rpc = () => ctx.get(ClusterRpc);
    const store = ctx.get(StateStore);
    return new QueryExecutor({
      datacenter: ctx.get<RuntimeConfig>(RuntimeConfig).datacenter,
      resolve: (idOrName) => store.preparedQueries.resolve(idOrName).value,
      instances: async (service, caller) =>
        (await rpc().read<CheckServiceNode[]>('Health.ServiceNodes', { service }, LOCAL_READ, caller)).value,
      coordinates: () => store.coordinates.nodes().value,
      router: ctx.get<DatacenterRouter>(DatacenterRouter, { optional: true }),
      remote: async (dc, args, caller) =>
        (await rpc().serverCall(EXECUTE_REMOTE_QUERY, args, caller, { datacenter: dc })) as PreparedQueryExecuteResponse,
      log: ctx.get<Logger>(Logger).named('prepared-query'),
    });
  };
  for (let i = 0; i < HANDLER_COUNT; i++) {
    bind<ServerHandler>(ServerHandler).toDynamicValue(
      (ctx) =>
        preparedQueryHandlers(
          () => (executor ??= make(ctx)),
          async (id, caller) =>
            (await ctx.get(ClusterRpc).read<PreparedQuery | null>('PreparedQuery.Get', { id }, LOCAL_READ, caller)).value,
        )[i]!,
    );
  }
}
