import type { ContainerModuleLoadOptions, ResolutionContext } from 'inversify';
import { Consensus, Lifecycle, Logger, Membership, RuntimeConfig, ServerRpc } from '@proconsul/kernel';
import { StateStore } from '@proconsul/state';
import { ClusterRpc } from '../server/cluster-rpc.js';
import { ServerHandler } from '../server/server-handler.js';
import { Autopilot, type AutopilotOptions } from './autopilot.js';
import { AutopilotConfigStore } from './autopilot-config-store.js';
import { initialAutopilotConfig } from './autopilot-config.js';
import { autopilotHandlers } from './autopilot-handlers.js';
import { raftHandlers } from './raft-handlers.js';

/** Optional autopilot tuning (intervals, clock); tests bind short intervals. */
export const AutopilotOptionsToken = Symbol.for('proconsul.AutopilotOptions');

/**
 * Operator raft and autopilot: their ServerHandlers (so every agent's HTTP API reaches
 * them) and, on servers with consensus, the autopilot loop that runs while this server
 * leads. Bound by serverModule; Consensus, Membership and ServerRpc come from plugins and
 * are resolved on use.
 */
export function bindOperator(bind: ContainerModuleLoadOptions['bind']): void {
  const consensus = (ctx: ResolutionContext) => ctx.get<Consensus>(Consensus, { optional: true });
  bind(AutopilotConfigStore)
    .toDynamicValue(
      (ctx) =>
        new AutopilotConfigStore(
          ctx.get(StateStore),
          ctx.get(ClusterRpc),
          initialAutopilotConfig(ctx.get<RuntimeConfig>(RuntimeConfig).autopilot),
        ),
    )
    .inSingletonScope();
  bind(Autopilot)
    .toDynamicValue((ctx) => {
      const c = consensus(ctx);
      if (!c) throw new Error('autopilot needs consensus');
      return new Autopilot(
        {
          consensus: c,
          membership: () => ctx.get<Membership>(Membership, { optional: true }),
          serverRpc: ctx.get<ServerRpc>(ServerRpc, { optional: true }),
          configStore: ctx.get(AutopilotConfigStore),
          datacenter: ctx.get<RuntimeConfig>(RuntimeConfig).datacenter,
          log: ctx.get<Logger>(Logger).named('autopilot'),
        },
        {
          // The raft plugin's heartbeat: 100 ms × raft_multiplier (hashicorp/raft's HeartbeatTimeout / 10).
          heartbeatIntervalMs: 100 * ctx.get<RuntimeConfig>(RuntimeConfig).raftMultiplier,
          ...(ctx.get<AutopilotOptions>(AutopilotOptionsToken, { optional: true }) ?? {}),
        },
      );
    })
    .inSingletonScope();
  // ClusterRpc multi-injects single handlers: bind each one; it resolves what it needs per call.
  const raft = (ctx: ResolutionContext) => raftHandlers(() => consensus(ctx));
  const autopilot = (ctx: ResolutionContext) =>
    autopilotHandlers(
      () => ctx.get(AutopilotConfigStore),
      () => ctx.get(Autopilot),
    );
  for (let i = 0; i < raftHandlers(() => undefined).length; i++) {
    bind<ServerHandler>(ServerHandler).toDynamicValue((ctx) => raft(ctx)[i]!);
  }
  for (let i = 0; i < autopilotHandlers(unused, unused).length; i++) {
    bind<ServerHandler>(ServerHandler).toDynamicValue((ctx) => autopilot(ctx)[i]!);
  }
  bind<Lifecycle>(Lifecycle).toDynamicValue((ctx) => {
    let running: Autopilot | undefined;
    return {
      name: 'autopilot',
      start() {
        if (!ctx.get<RuntimeConfig>(RuntimeConfig).server || !consensus(ctx)) return;
        running = ctx.get(Autopilot);
        running.start();
      },
      async stop() {
        await running?.stop();
      },
    };
  });
}

function unused(): never {
  throw new Error('not resolved while counting handlers');
}
