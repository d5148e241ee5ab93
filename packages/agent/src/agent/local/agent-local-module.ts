import {
  AgentReloader,
  AgentTokens,
  CheckType,
  ClusterRpcPort,
  Lifecycle,
  LocalAgentPort,
  Logger,
  Membership,
  MetricsReader,
  MetricsRegistry,
  RuntimeConfig,
  TlsConfigurator,
  type Clock,
} from '@proconsul/kernel';
import type { ContainerModuleLoadOptions, ResolutionContext } from 'inversify';
import { AgentMetrics } from './agent-metrics.js';
import { AgentReload } from './agent-reload.js';
import { AntiEntropy, type AntiEntropyOptions } from './anti-entropy.js';
import { ConfigReloader } from './config-reloader.js';
import { CoordinateSync } from '../coordinate-sync.js';
import { LocalAgent } from './local-agent.js';
import { bindKernelGauges } from '../../telemetry/kernel-gauges.js';

/** Optional tuning of the agent-local services; tests bind short intervals and a fixed random source. */
export const AgentLocalOptions = Symbol.for('proconsul.AgentLocalOptions');

export interface AgentLocalOptions {
  /** `disabled`: never sync to the catalog (test harnesses that want an empty catalog). */
  readonly antiEntropy?: AntiEntropyOptions & { readonly disabled?: boolean };
  /** Check scheduling clock and stagger source. */
  readonly clock?: Clock;
  readonly random?: () => number;
}

/**
 * The agent's own services and checks, their catalog sync and reload. Bound by
 * serverModule, so every agent has them; resolved at the lifecycle's start, after every
 * plugin's CheckType is bound.
 */
export function bindAgentLocal(bind: ContainerModuleLoadOptions['bind']): void {
  const options = (ctx: ResolutionContext) => ctx.get<AgentLocalOptions>(AgentLocalOptions, { optional: true }) ?? {};
  bind(AgentMetrics)
    .toDynamicValue((ctx) => new AgentMetrics(ctx.get<RuntimeConfig>(RuntimeConfig).telemetry))
    .inSingletonScope();
  bind<MetricsRegistry>(MetricsRegistry).toService(AgentMetrics);
  bindKernelGauges(bind);
  bind(LocalAgent)
    .toDynamicValue((ctx) => {
      const o = options(ctx);
      return new LocalAgent({
        dataDir: ctx.get<RuntimeConfig>(RuntimeConfig).dataDir,
        checkUpdateIntervalMs: ctx.get<RuntimeConfig>(RuntimeConfig).checkUpdateIntervalMs ?? 0,
        types: ctx.getAll<CheckType>(CheckType, { optional: true }),
        logger: ctx.get<Logger>(Logger),
        ...(o.clock ? { clock: o.clock } : {}),
        ...(o.random ? { random: o.random } : {}),
      });
    })
    .inSingletonScope();
  // Frontends see narrow ports, never the classes behind them.
  bind<LocalAgentPort>(LocalAgentPort).toService(LocalAgent);
  bind<MetricsReader>(MetricsReader).toService(AgentMetrics);
  bind<AgentReloader>(AgentReloader).toService(AgentReload);
  bind(AntiEntropy)
    .toDynamicValue((ctx) => {
      const membership = ctx.get<Membership>(Membership, { optional: true });
      const alive = () => membership?.members('lan').filter((m) => m.status === 'alive').length || 1;
      return new AntiEntropy(
        ctx.get(LocalAgent).state,
        ctx.get<ClusterRpcPort>(ClusterRpcPort),
        ctx.get<RuntimeConfig>(RuntimeConfig),
        ctx.get<Logger>(Logger).named('anti_entropy'),
        alive,
        { ...syncTokens(ctx.get<AgentTokens>(AgentTokens, { optional: true })), ...options(ctx).antiEntropy },
        ctx.get(AgentMetrics),
      );
    })
    .inSingletonScope();
  bind(CoordinateSync)
    .toDynamicValue((ctx) => {
      const c = ctx.get<RuntimeConfig>(RuntimeConfig);
      const membership = ctx.get<Membership>(Membership, { optional: true });
      const tokens = ctx.get<AgentTokens>(AgentTokens, { optional: true });
      return new CoordinateSync({
        rpc: ctx.get<ClusterRpcPort>(ClusterRpcPort),
        node: c.nodeName,
        coordinate: () => membership?.coordinate?.('lan'),
        clusterSize: () => {
          try {
            return membership?.members('lan').filter((m) => m.status === 'alive').length || 1;
          } catch {
            return 1; // gossip not started yet: the first interval is the minimum
          }
        },
        token: () => tokens?.get('agent'),
        log: ctx.get<Logger>(Logger).named('coordinate'),
        rateTarget: c.syncCoordinateRateTarget ?? 64,
        intervalMinMs: c.syncCoordinateIntervalMinMs ?? 15_000,
      });
    })
    .inSingletonScope();
  bind(AgentReload)
    .toDynamicValue(
      (ctx) =>
        new AgentReload(
          ctx.get(LocalAgent),
          ctx.get<RuntimeConfig>(RuntimeConfig),
          ctx.get<Logger>(Logger).named('reload'),
          ctx.get<ConfigReloader>(ConfigReloader, { optional: true }),
          ctx.get<TlsConfigurator>(TlsConfigurator, { optional: true }),
        ),
    )
    .inSingletonScope();
  bind<Lifecycle>(Lifecycle).toDynamicValue((ctx) => ({
    name: 'agent-local',
    async start() {
      const c = ctx.get<RuntimeConfig>(RuntimeConfig);
      await ctx.get(LocalAgent).applyConfig(c.services, c.checks, true);
      if (!options(ctx).antiEntropy?.disabled) ctx.get(AntiEntropy).start();
      if (!options(ctx).antiEntropy?.disabled && !c.disableCoordinates) ctx.get(CoordinateSync).start();
    },
    async stop() {
      await ctx.get(CoordinateSync).stop();
      await ctx.get(AntiEntropy).stop();
      await ctx.get(LocalAgent).stop();
    },
  }));
}

/** Consul's anti-entropy tokens: `acl.tokens.agent` and `config_file_service_registration`, each else `default`. */
function syncTokens(tokens: AgentTokens | undefined): { token: () => string | undefined; configToken: () => string | undefined } {
  return { token: () => tokens?.get('agent'), configToken: () => tokens?.get('config_file_service_registration') };
}
