import { ContainerModule } from 'inversify';
import { Consensus, Lifecycle, Logger, Membership, RuntimeConfig, ServerRpc } from '@proconsul/kernel';
import { StateStore } from '@proconsul/state';
import { ClusterRpc } from '../server/cluster-rpc.js';
import { BootstrapWatcher } from './bootstrap-watcher.js';
import { LeaderReconciler } from './leader-reconciler.js';
import { feedServerAddresses } from './server-address-feed.js';
import { WanFloodJoin } from '../wan/wan-flood-join.js';

/**
 * Ties gossip to consensus and the catalog; loaded after the plugins so it starts once
 * membership and raft run (the membership plugin itself handles -join and -retry-join).
 * Without a membership plugin it does nothing.
 */
export function clusterModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<Lifecycle>(Lifecycle).toDynamicValue((ctx) => {
      const offs: (() => void)[] = [];
      return {
        name: 'cluster',
        async start() {
          const membership = ctx.get<Membership>(Membership, { optional: true });
          if (!membership) return;
          const config = ctx.get<RuntimeConfig>(RuntimeConfig);
          const log = ctx.get<Logger>(Logger).named('cluster');
          const consensus = ctx.get<Consensus>(Consensus, { optional: true });
          if (consensus) {
            offs.push(feedServerAddresses(config, consensus, membership));
            const rpc = ctx.get<ServerRpc>(ServerRpc, { optional: true });
            offs.push(new BootstrapWatcher(config, consensus, membership, log, rpc).start());
            offs.push(new LeaderReconciler(config, consensus, membership, ctx.get(ClusterRpc), ctx.get(StateStore), log).start());
            // One `join -wan` federates the whole datacenter: servers add their LAN peers to the WAN.
            if (config.server && config.ports.serfWan > 0)
              offs.push(new WanFloodJoin(config, membership, log.named('wan')).start());
          }
        },
        stop() {
          for (const off of offs.splice(0)) off();
        },
      };
    });
  });
}
