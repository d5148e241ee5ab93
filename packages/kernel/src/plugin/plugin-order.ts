import { PluginCapabilityConflict, PluginCycle, PluginDuplicate, PluginRequirementMissing } from '../errors/kernel-errors.js';
import { isSingleValued } from './capabilities.js';
import type { PluginManifest } from './plugin-manifest.js';

/** Capabilities the kernel itself provides, so plugins may require them. */
export const KERNEL_CAPABILITIES: readonly string[] = ['kernel', 'fsm', 'state-store', 'logger'];

/**
 * Check names, single-valued capabilities and requirements, then order so that every
 * plugin comes after the providers of what it requires. Ties keep plugins.json order,
 * so a deployment's order is predictable. Returns indexes into `manifests`.
 */
export function orderPlugins(manifests: readonly PluginManifest[]): number[] {
  const names = new Set<string>();
  for (const m of manifests) {
    if (names.has(m.name)) throw PluginDuplicate(m.name);
    names.add(m.name);
  }
  const providers = new Map<string, number[]>();
  manifests.forEach((m, i) => {
    for (const cap of m.provides) {
      const list = providers.get(cap) ?? [];
      if (list.length > 0 && isSingleValued(cap)) {
        throw PluginCapabilityConflict(cap, manifests[list[0]!]!.name, m.name);
      }
      list.push(i);
      providers.set(cap, list);
    }
  });
  for (const m of manifests) {
    for (const req of m.requires) {
      if (!providers.has(req) && !KERNEL_CAPABILITIES.includes(req)) throw PluginRequirementMissing(m.name, req);
    }
  }
  const deps = manifests.map((m, i) => m.requires.flatMap((r) => providers.get(r) ?? []).filter((p) => p !== i));
  const order: number[] = [];
  const state = new Array<0 | 1 | 2>(manifests.length).fill(0); // 0 new, 1 visiting, 2 done
  const stack: number[] = [];
  const visit = (i: number): void => {
    if (state[i] === 2) return;
    if (state[i] === 1) {
      const from = stack.indexOf(i);
      throw PluginCycle([...stack.slice(from), i].map((j) => manifests[j]!.name));
    }
    state[i] = 1;
    stack.push(i);
    for (const d of deps[i]!) visit(d);
    stack.pop();
    state[i] = 2;
    order.push(i);
  };
  manifests.forEach((_, i) => visit(i));
  return order;
}
