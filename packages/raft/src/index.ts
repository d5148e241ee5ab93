import { ContainerModule } from 'inversify';
import { Consensus, Lifecycle, type ProconsulPlugin } from '@proconsul/kernel';
import { RaftConsensus } from './plugin/raft-consensus.js';
import { RaftEnvironment } from './plugin/raft-environment.js';
import { RaftLifecycle } from './plugin/raft-lifecycle.js';
import { buildRaftConfig, raftConfigSchema, type RaftPluginConfig } from './plugin/plugin-config.js';

export { RaftConsensus } from './plugin/raft-consensus.js';
export { RaftEnvironment } from './plugin/raft-environment.js';
export { buildRaftConfig, raftConfigSchema, type RaftPluginConfig } from './plugin/plugin-config.js';
export { RaftNode, type RaftNodeOptions, type RaftStores, type RaftObserver, type Role } from './core/raft-node.js';
export { DefaultConfig, validateConfig, scaleByMultiplier, type RaftConfig } from './core/raft-config.js';
export { RealClock, type Clock, type Random } from './core/clock.js';
export type { RaftTransport, PeerAddress } from './core/transport.js';
export type * from './core/messages.js';
export { TcpRaftTransport } from './net/tcp-raft-transport.js';
export { MemoryNetwork } from './sim/memory-transport.js';
export { SimCluster, SIM_RAFT_CONFIG, type SimClusterOptions } from './sim/sim-cluster.js';
export { SimNetwork, type NetworkFaults } from './sim/sim-network.js';
export { SimDisk, realTimeScheduler } from './sim/sim-store.js';
export { VirtualScheduler } from './sim/virtual-scheduler.js';
export { Prng } from './sim/prng.js';
export { randomRun } from './sim/random-run.js';
export * from './errors.js';

/**
 * Raft consensus, on servers only: it binds Consensus and starts raft, carrying its
 * messages over the server port that the server-rpc plugin owns (RaftStreamPort). On a
 * client agent it binds nothing — and a client's plugin list need not name it at all.
 */
const plugin: ProconsulPlugin<RaftPluginConfig> = {
  manifest: {
    name: 'raft',
    version: '0.1.0',
    provides: ['consensus'],
    requires: ['storage', 'raft-streams'],
    configSchema: raftConfigSchema,
  },
  createModule: (config, { config: runtime, logger }) => {
    // raft_multiplier 0 means "unset" in a partially filled config: use Consul's default of 5.
    const env: RaftEnvironment = {
      raft: buildRaftConfig(config, runtime.raftMultiplier || 5, runtime.raftSnapshot),
      runtime,
      logger,
    };
    return new ContainerModule(({ bind }) => {
      if (!runtime.server) return;
      bind<RaftEnvironment>(RaftEnvironment).toConstantValue(env);
      bind(RaftConsensus).toSelf().inSingletonScope();
      bind<Consensus>(Consensus).toService(RaftConsensus);
      bind<Lifecycle>(Lifecycle)
        .toDynamicValue((ctx) => new RaftLifecycle(ctx.get(RaftConsensus)))
        .inSingletonScope();
    });
  },
};
export default plugin;
