import type { ContainerModuleLoadOptions } from 'inversify';
import { LocalAgent } from '../agent/local/local-agent.js';
import { RuntimeConfig } from '../config/runtime-config.js';
import { Lifecycle } from '../extension-points/lifecycle.js';
import { Membership } from '../extension-points/membership.js';
import { Logger } from '../log/logger.js';
import { UserEvents } from './user-events.js';
import { UserEventsPort } from '../extension-points/user-events-port.js';

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
