import type { ContainerModule } from 'inversify';
import { ContainerModule as Module } from 'inversify';
import { AgentShutdown, type Logger, type RuntimeConfig } from '@proconsul/kernel';
import { tlsModule } from '@proconsul/tls';
import { ConfigReloader, watchesModule } from '@proconsul/agent';
import { clusterModule, serverModule } from '@proconsul/server';

/** Kernel services loaded before the plugins (state store, FSM, …). */
export function coreModules(): ContainerModule[] {
  return [serverModule()];
}

/**
 * Agent services loaded after the plugins: TLS settings (unless a plugin bound its own),
 * gossip ↔ raft ↔ catalog wiring, the shutdown hook.
 */
export function agentModules(
  config: RuntimeConfig,
  logger: Logger,
  requestShutdown: () => void,
  reloadConfig: () => RuntimeConfig,
): ContainerModule[] {
  const shutdown = new Module(({ bind }) => {
    bind<AgentShutdown>(AgentShutdown).toConstantValue({ request: requestShutdown });
    bind<ConfigReloader>(ConfigReloader).toConstantValue({ load: reloadConfig });
  });
  return [tlsModule(config, logger), clusterModule(), watchesModule(), shutdown];
}
