import type { ContainerModuleLoadOptions } from 'inversify';
import { LocalAgent } from '../agent/local/local-agent.js';
import { Lifecycle, Logger, Membership, RuntimeConfig, UserEventsPort } from '@proconsul/kernel';
import { UserEvents } from './user-events.js';

/** The agent's user events (fire, receive, buffer). Bound by serverModule on every agent. */
export function bindUserEvents(bind: ContainerModuleLoadOptions['bind']): void {
  bind(UserEvents)
    .toDynamicValue(
      (ctx) =>
        new UserEvents({
          nodeName: ctx.get<RuntimeConfig>(RuntimeConfig).nodeName,
          membership: () => ctx.get<Membership>(Membership, { optional: true }),
          localServices: () =>
            ctx
              .get(LocalAgent, { optional: true })
              ?.state.services()
              .map((s) => s.service) ?? [],
          log: ctx.get<Logger>(Logger).named('agent.event'),
        }),
    )
    .inSingletonScope();
  bind<UserEventsPort>(UserEventsPort).toService(UserEvents);
  bind<Lifecycle>(Lifecycle).toDynamicValue((ctx) => ({
    name: 'user-events',
    // Subscribing only registers a listener, so it may precede the membership plugin's start.
    start: () => ctx.get(UserEvents).start(),
    stop: () => ctx.get(UserEvents).stop(),
  }));
}
