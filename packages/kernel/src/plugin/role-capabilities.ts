import { PluginServerCapabilityMissing } from '../errors/kernel-errors.js';
import type { PluginManifest } from './plugin-manifest.js';

/**
 * The agent's role needs these capabilities from its plugins (a server: consensus).
 * Checked with the other requirements, before anything loads, so `-server` with a client's
 * plugin list stops with one line naming the capability instead of starting a server that
 * cannot hold state.
 */
export function checkRoleCapabilities(manifests: readonly PluginManifest[], needed: readonly string[], source: string): void {
  const provided = new Set(manifests.flatMap((m) => m.provides));
  for (const cap of needed) if (!provided.has(cap)) throw PluginServerCapabilityMissing(cap, source);
}
