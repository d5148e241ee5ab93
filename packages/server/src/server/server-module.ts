import { ContainerModule } from 'inversify';
import {
  Authorizer,
  CatalogStats,
  AS_SERVER,
  ClusterRpcPort,
  Consensus,
  DatacenterRouter,
  DnsDataSource,
  Fsm,
  Lifecycle,
  Logger,
  Membership,
  ServerRpc,
  StateImagePort,
  UserEventsPort,
} from '@proconsul/kernel';
import { StateFsm, StateImageService, StateStore, StoreCatalogStats } from '@proconsul/state';
import { bindAgentLocal, bindAliasCheck, bindUserEvents } from '@proconsul/agent';
import { ClusterRpc } from './cluster-rpc.js';
import { ServerHandler } from './server-handler.js';
import { STATUS_HANDLER_COUNT, statusHandlers } from './status-handlers.js';
import { CatalogDnsSource } from '../dns/catalog-dns-source.js';
import { ServerLocator } from './server-locator.js';
import { bindOperator } from '../operator/operator-module.js';
import { WanRouter } from '../wan/wan-router.js';
import { datacentersHandler, LIST_DATACENTERS } from '../wan/datacenters-handler.js';
import { coordinateDatacentersHandler, medianRttMs } from '../wan/wan-coordinates.js';
import { CoordinateBatcher } from '../coordinate/coordinate-batcher.js';
import { coordinateUpdateHandler } from '../coordinate/coordinate-update-handler.js';
import { bindPreparedQueries } from '../prepared-query/prepared-query-module.js';
import { eventFireHandler } from '../wan/event-fire-handler.js';
import { keyringHandlers } from '../wan/keyring-handlers.js';

/**
 * Core services every agent has, loaded before the plugins so they can inject them:
 * the state store and its FSM (replicated into by consensus on servers, empty on
 * clients), and the RPC router that sends reads and writes where they must run.
 */
export function serverModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(StateStore).toConstantValue(new StateStore());
    bind<Fsm>(Fsm)
      .toDynamicValue((ctx) => new StateFsm(ctx.get(StateStore)))
      .inSingletonScope();
    bind(ServerLocator).toSelf().inSingletonScope();
    bind(ClusterRpc).toSelf().inSingletonScope();
    bind(WanRouter).toSelf().inSingletonScope();
    bind<DatacenterRouter>(DatacenterRouter).toService(WanRouter);
    bind<ServerHandler>(ServerHandler).toDynamicValue((ctx) => datacentersHandler(() => ctx.get(WanRouter)));
    bind(CoordinateBatcher)
      .toDynamicValue((ctx) => {
        const rpc = ctx.get(ClusterRpc);
        const consensus = () => ctx.get<Consensus>(Consensus, { optional: true });
        const writer = { write: rpc.write.bind(rpc), isLeader: () => consensus()?.isLeader() === true };
        return new CoordinateBatcher(writer, ctx.get<Logger>(Logger).named('coordinate'));
      })
      .inSingletonScope();
    bind<ServerHandler>(ServerHandler).toDynamicValue((ctx) =>
      coordinateDatacentersHandler(() => ctx.get<Membership>(Membership, { optional: true })),
    );
    bind<ServerHandler>(ServerHandler).toDynamicValue((ctx) => coordinateUpdateHandler(() => ctx.get(CoordinateBatcher)));
    bind<ServerHandler>(ServerHandler).toDynamicValue((ctx) => eventFireHandler(() => ctx.get<UserEventsPort>(UserEventsPort)));
    for (let i = 0; i < 2; i++)
      bind<ServerHandler>(ServerHandler).toDynamicValue(
        (ctx) => keyringHandlers(() => ctx.get<Membership>(Membership, { optional: true }))[i]!,
      );
    // Frontends see narrow ports, never the classes behind them.
    bind<ClusterRpcPort>(ClusterRpcPort).toService(ClusterRpc);
    bind<StateImagePort>(StateImagePort)
      .toDynamicValue((ctx) => new StateImageService(ctx.get(StateStore), () => ctx.get(ClusterRpc).stateReplaced()))
      .inSingletonScope();
    bind<CatalogStats>(CatalogStats)
      .toDynamicValue((ctx) => new StoreCatalogStats(ctx.get(StateStore)))
      .inSingletonScope();
    for (let i = 0; i < STATUS_HANDLER_COUNT; i++) {
      bind<ServerHandler>(ServerHandler).toDynamicValue(
        (ctx) => statusHandlers(() => ctx.get<Consensus>(Consensus, { optional: true }))[i]!,
      );
    }
    bindAliasCheck(bind);
    bind<DnsDataSource>(DnsDataSource).to(CatalogDnsSource).inSingletonScope();
    bind<Lifecycle>(Lifecycle).toDynamicValue((ctx) => ({
      name: 'server-rpc',
      // In configure, before any plugin's start opens the server port.
      configure() {
        const rpc = ctx.get(ClusterRpc);
        rpc.useAuthorizer(ctx.get<Authorizer>(Authorizer));
        // A client agent has no WAN pool: its datacenter list comes from a server.
        // A server orders datacenters by the median estimated RTT to their servers (Consul's order).
        const membership = ctx.get<Membership>(Membership, { optional: true });
        if (rpc.isServer) ctx.get(WanRouter).useDistance((dc) => medianRttMs(membership, dc));
        if (!rpc.isServer)
          ctx.get(WanRouter).useServerList(async () => (await rpc.serverCall(LIST_DATACENTERS, {}, AS_SERVER)) as string[]);
        const serverRpc = ctx.get<ServerRpc>(ServerRpc, { optional: true });
        if (!serverRpc) return;
        serverRpc.setHandler((method, body, signal) => rpc.handle(method, body, signal));
      },
      start: async () => {
        await ctx.get(ClusterRpc).start();
        if (ctx.get(ClusterRpc).isServer) ctx.get(CoordinateBatcher).start();
      },
      stop: async () => {
        await ctx.get(CoordinateBatcher).stop();
        await ctx.get(ClusterRpc).stop();
      },
      // Before anti-entropy's stop waits for its round: a write held for a leader must end now.
      stopping: () => ctx.get(ClusterRpc).beginShutdown(),
    }));
    // The agent's own services and checks and their anti-entropy sync (after server-rpc, so it stops first).
    bindAgentLocal(bind);
    // Operator raft/autopilot RPCs and the leader's autopilot loop; the agent's user events.
    bindOperator(bind);
    bindUserEvents(bind);
    // Prepared-query execution, explain and cross-datacenter failover.
    bindPreparedQueries(bind);
  });
}
