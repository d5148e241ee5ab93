import { ContainerModule, type ResolutionContext } from 'inversify';
import {
  Authorizer,
  Consensus,
  Lifecycle,
  ServerRpc,
  TlsConfigurator,
  type Logger,
  type ProconsulPlugin,
} from '@proconsul/kernel';
import { RaftConsensus } from './plugin/raft-consensus.js';
import { RaftEnvironment } from './plugin/raft-environment.js';
import { RaftLifecycle, type RaftLifecycleServices } from './plugin/raft-lifecycle.js';
import { buildRaftConfig, raftConfigSchema, type RaftPluginConfig } from './plugin/plugin-config.js';
import { ServerPort } from './net/server-port.js';
import { TcpServerRpc } from './net/tcp-server-rpc.js';

export { RaftConsensus } from './plugin/raft-consensus.js';
export { RaftEnvironment } from './plugin/raft-environment.js';
export { buildRaftConfig, raftConfigSchema, type RaftPluginConfig } from './plugin/plugin-config.js';
export { RaftNode, type RaftNodeOptions, type RaftStores, type RaftObserver, type Role } from './core/raft-node.js';
export { DefaultConfig, validateConfig, scaleByMultiplier, type RaftConfig } from './core/raft-config.js';
export { RealClock, type Clock, type Random } from './core/clock.js';
export type { RaftTransport, PeerAddress } from './core/transport.js';
export type * from './core/messages.js';
export { ServerPort } from './net/server-port.js';
export { TcpServerRpc } from './net/tcp-server-rpc.js';
export { TcpRaftTransport } from './net/tcp-raft-transport.js';
export { NO_TLS, serverNameFor, type ServerPortTls, type ServerPortTlsState } from './net/server-tls.js';
export { PROTO_RAFT, PROTO_RPC, PROTO_TLS } from './net/framing.js';
export { MemoryNetwork } from './sim/memory-transport.js';
export { SimCluster, SIM_RAFT_CONFIG, type SimClusterOptions } from './sim/sim-cluster.js';
export { SimNetwork, type NetworkFaults } from './sim/sim-network.js';
export { SimDisk, realTimeScheduler } from './sim/sim-store.js';
export { VirtualScheduler } from './sim/virtual-scheduler.js';
export { Prng } from './sim/prng.js';
export { randomRun } from './sim/random-run.js';
export * from './errors.js';

/**
 * Raft consensus and the server port. ServerRpc is bound on every agent (clients call
 * servers through it); Consensus and the port listener only on servers.
 */
const plugin: ProconsulPlugin<RaftPluginConfig> = {
  manifest: {
    name: 'raft',
    version: '0.1.0',
    provides: ['consensus', 'server-rpc'],
    requires: ['storage'],
    configSchema: raftConfigSchema,
  },
  createModule: (config, { config: runtime, logger }) => {
    const log = logger.named('raft');
    const port = runtime.server ? new ServerPort(log) : undefined;
    const rpc = new TcpServerRpc(port, log);
    // raft_multiplier 0 means "unset" in a partially filled config: use Consul's default of 5.
    const env: RaftEnvironment = { raft: buildRaftConfig(config, runtime.raftMultiplier || 5), runtime, logger: log, port };
    return new ContainerModule(({ bind }) => {
      bind<ServerRpc>(ServerRpc).toConstantValue(rpc);
      bind<RaftEnvironment>(RaftEnvironment).toConstantValue(env);
      if (runtime.server) {
        bind(RaftConsensus).toSelf().inSingletonScope();
        bind<Consensus>(Consensus).toService(RaftConsensus);
        bind<Lifecycle>(Lifecycle)
          .toDynamicValue((ctx) => new RaftLifecycle(runtime, rpc, port, ctx.get(RaftConsensus), servicesOf(ctx, log)))
          .inSingletonScope();
      } else {
        bind<Lifecycle>(Lifecycle)
          .toDynamicValue((ctx) => new RaftLifecycle(runtime, rpc, undefined, undefined, servicesOf(ctx, log)))
          .inSingletonScope();
      }
    });
  },
};
export default plugin;

/** The kernel binds these for every agent; a bare container (tests) may not. */
function servicesOf(ctx: ResolutionContext, logger: Logger): RaftLifecycleServices {
  return {
    tls: ctx.get<TlsConfigurator>(TlsConfigurator, { optional: true }),
    authorizer: ctx.get<Authorizer>(Authorizer, { optional: true }),
    logger,
  };
}
