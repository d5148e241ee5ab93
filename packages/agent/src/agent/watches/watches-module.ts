import { Authorizer, ClusterRpcPort, Lifecycle, Logger, RuntimeConfig } from '@proconsul/kernel';
import { ContainerModule } from 'inversify';
import { UserEvents } from '../../events/user-events.js';
import { parseWatches, type WatchDefinition } from './watch-definition.js';
import type { WatchHandler } from './watch-handler.js';
import { WatchPlan, type WatchPlanOptions } from './watch-plan.js';
import { watchSource } from './watch-queries.js';
import { HttpWatchHandler } from './http-watch-handler.js';
import { ScriptWatchHandler } from './script-watch-handler.js';

/** Optional tuning of config watches (loop pacing, longest block); tests bind short ones. */
export const WatchOptions = Symbol.for('proconsul.WatchOptions');

export interface WatchOptions extends WatchPlanOptions {
  readonly waitMs?: number;
}

/**
 * The agent config's `watches`: validated in configure (a bad entry aborts the boot,
 * naming it), run from start — after the plugins, since reads go through this agent's RPC
 * router to its servers — and stopped first on shutdown. Load it after the plugins.
 */
export function watchesModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<Lifecycle>(Lifecycle).toDynamicValue((ctx) => {
      let defs: WatchDefinition[] = [];
      const plans: WatchPlan[] = [];
      return {
        name: 'watches',
        configure() {
          const config = ctx.get<RuntimeConfig>(RuntimeConfig);
          defs = parseWatches(config.watches, config.datacenter);
        },
        start() {
          const log = ctx.get<Logger>(Logger).named('agent.watch');
          const options = ctx.get<WatchOptions>(WatchOptions, { optional: true }) ?? {};
          const deps = {
            rpc: ctx.get<ClusterRpcPort>(ClusterRpcPort),
            events: ctx.get(UserEvents),
            authorizer: ctx.get<Authorizer>(Authorizer),
            ...(options.waitMs ? { waitMs: options.waitMs } : {}),
          };
          for (const def of defs) {
            const handler: WatchHandler =
              def.handler.kind === 'script'
                ? new ScriptWatchHandler(def.handler.args, log)
                : new HttpWatchHandler(def.handler.config, log);
            const plan = new WatchPlan(def, watchSource(def, deps), handler, log, options);
            plans.push(plan);
            plan.start();
          }
          if (plans.length) log.info('watches started', { count: plans.length });
        },
        async stop() {
          await Promise.all(plans.splice(0).map((p) => p.stop()));
        },
      };
    });
  });
}
