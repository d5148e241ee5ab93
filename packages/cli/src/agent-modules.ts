import type { ContainerModule } from 'inversify';

/** Kernel services loaded before the plugins (state store, FSM, …). */
export function coreModules(): ContainerModule[] {
  return [];
}

/** Agent services loaded after the plugins (endpoint wiring, anti-entropy, …). */
export function agentModules(): ContainerModule[] {
  return [];
}
