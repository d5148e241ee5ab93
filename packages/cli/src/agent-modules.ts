import type { ContainerModule } from 'inversify';
import { ContainerModule as Module } from 'inversify';
import {
  AgentShutdown,
  AgentTokens,
  ClusterRpcPort,
  UserEventsPort,
  Lifecycle,
  Logger,
  MetricsReader,
  MetricsRegistry,
  RuntimeConfig,
} from '@proconsul/kernel';
import { tlsModule } from '@proconsul/tls';
import { ConfigReloader, watchesModule } from '@proconsul/agent';
import { clusterModule, serverModule } from '@proconsul/server';
import { RemoteExecAgent } from './remote-exec/remote-exec-agent.js';

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
  const sinks = new Module(({ bind }) => {
    bind<Lifecycle>(Lifecycle).toDynamicValue((ctx) => {
      let close: (() => Promise<void>) | undefined;
      return {
        name: 'telemetry-sinks',
        async start() {
          const telemetry = ctx.get<RuntimeConfig>(RuntimeConfig).telemetry;
          // The StatsD client is loaded only by agents that send to one.
          if (!telemetry.statsdAddress && !telemetry.dogstatsdAddr) return;
          const { startStatsdSinks } = await import('./telemetry/statsd-sink.js');
          close = startStatsdSinks(
            telemetry,
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
  const remoteExec = new Module(({ bind }) => {
    bind<Lifecycle>(Lifecycle).toDynamicValue((ctx) => {
      let agent: RemoteExecAgent | undefined;
      return {
        name: 'remote-exec',
        start() {
          agent = new RemoteExecAgent({
            events: ctx.get<UserEventsPort>(UserEventsPort),
            rpc: ctx.get<ClusterRpcPort>(ClusterRpcPort),
            config: ctx.get<RuntimeConfig>(RuntimeConfig),
            tokens: ctx.get<AgentTokens>(AgentTokens, { optional: true }),
            log: ctx.get<Logger>(Logger).named('remote_exec'),
          });
          agent.start();
        },
        stopping() {
          void agent?.close();
        },
        async stop() {
          await agent?.close();
        },
      };
    });
  });
  return [tlsModule(config, logger), clusterModule(), watchesModule(), shutdown, sinks, remoteExec];
}
