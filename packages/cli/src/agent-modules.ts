import type { ContainerModule } from 'inversify';
import { serverModule } from '@proconsul/kernel';

/** Kernel services loaded before the plugins (state store, FSM, …). */
export function coreModules(): ContainerModule[] {
  return [serverModule()];
}

/** Agent services loaded after the plugins (endpoint wiring, anti-entropy, …). */
export function agentModules(): ContainerModule[] {
  return [];
}
