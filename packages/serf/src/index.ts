import { ContainerModule } from 'inversify';
import { Lifecycle, Membership, type ProconsulPlugin } from '@proconsul/kernel';
import { SerfMembership, SerfPluginContext } from './plugin/serf-membership.js';

export { Memberlist } from './memberlist/memberlist.js';
export {
  DefaultLANConfig,
  DefaultWANConfig,
  DefaultLocalConfig,
  validateMemberlistConfig,
  type MemberlistConfig,
} from './memberlist/config.js';
export { RealScheduler, type Scheduler } from './memberlist/scheduler.js';
export type { Transport } from './memberlist/transport.js';
export { Serf } from './serf/serf.js';
export { defaultSerfConfig, type SerfConfig } from './serf/serf-config.js';
export { UdpTcpTransport } from './transport/udp-tcp-transport.js';
export { SimScheduler } from './sim/sim-scheduler.js';
export { Prng } from './sim/prng.js';
export { SimNetwork } from './sim/sim-network.js';
export { SerfSimCluster } from './sim/serf-sim-cluster.js';
export { SerfMembership } from './plugin/serf-membership.js';
export { consulTags } from './plugin/consul-tags.js';
export * from './errors.js';

export interface SerfPluginConfig {
  /** "local": memberlist's loopback timings; defaults to "local" in -dev, else "lan". */
  readonly profile?: 'lan' | 'local';
}

const plugin: ProconsulPlugin<SerfPluginConfig> = {
  manifest: {
    name: 'serf',
    version: '0.1.0',
    provides: ['membership'],
    requires: [],
    configSchema: {
      type: 'object',
      properties: { profile: { type: 'string', enum: ['lan', 'local'] } },
      additionalProperties: false,
    },
  },
  createModule: (pluginConfig, { config, logger }) =>
    new ContainerModule(({ bind }) => {
      const profile = pluginConfig.profile ?? (config.dev ? 'local' : 'lan');
      bind<SerfPluginContext>(SerfPluginContext).toConstantValue({ config, logger, profile });
      bind<Membership>(Membership).to(SerfMembership).inSingletonScope();
      bind<Lifecycle>(Lifecycle).toService(Membership);
    }),
};
export default plugin;
