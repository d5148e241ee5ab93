import type { ContainerModule } from 'inversify';
import { ContainerModule as Module } from 'inversify';
import {
  AgentShutdown,
  ConfigReloader,
  Lifecycle,
  Logger,
  MetricsReader,
  MetricsRegistry,
  RuntimeConfig,
  clusterModule,
  serverModule,
  watchesModule,
} from '@proconsul/kernel';
import { startStatsdSinks } from './telemetry/statsd-sink.js';

/** Kernel services loaded before the plugins (state store, FSM, …). */
export function coreModules(): ContainerModule[] {
  return [serverModule()];
}

/** Agent services loaded after the plugins: gossip ↔ raft ↔ catalog wiring, the shutdown hook. */
export function agentModules(requestShutdown: () => void, reloadConfig: () => RuntimeConfig): ContainerModule[] {
  const shutdown = new Module(({ bind }) => {
    bind<AgentShutdown>(AgentShutdown).toConstantValue({ request: requestShutdown });
    bind<ConfigReloader>(ConfigReloader).toConstantValue({ load: reloadConfig });
  });
  const sinks = new Module(({ bind }) => {
    bind<Lifecycle>(Lifecycle).toDynamicValue((ctx) => {
      let close: (() => Promise<void>) | undefined;
      return {
        name: 'telemetry-sinks',
        start() {
          close = startStatsdSinks(
            ctx.get<RuntimeConfig>(RuntimeConfig).telemetry,
            ctx.get<MetricsRegistry>(MetricsRegistry),
            ctx.get<MetricsReader>(MetricsReader),
            ctx.get<Logger>(Logger).named('telemetry'),
          );
        },
        async stop() {
          await close?.();
        },
      };
    });
  });
  return [clusterModule(), watchesModule(), shutdown, sinks];
}
