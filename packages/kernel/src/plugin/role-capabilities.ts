import { PluginRoleCapabilityMissing } from '../errors/kernel-errors.js';
import { ROLE_CAPABILITIES, ROLE_CAPABILITY_HINTS, type AgentRole } from './capabilities.js';
import type { PluginManifest } from './plugin-manifest.js';

/**
 * The agent's role needs these capabilities from its plugins (a server: consensus).
 * Checked with the other requirements, before anything loads, so `-server` with a client's
 * plugin list stops with one line naming the capability instead of starting a server that
 * cannot hold state. No role (tests, embedding): nothing to check.
 */
export function checkRoleCapabilities(manifests: readonly PluginManifest[], role: AgentRole | undefined, source: string): void {
  if (!role) return;
  const provided = new Set(manifests.flatMap((m) => m.provides));
  for (const cap of ROLE_CAPABILITIES[role]) {
    if (!provided.has(cap)) throw PluginRoleCapabilityMissing(role, cap, source, ROLE_CAPABILITY_HINTS[cap] ?? '');
  }
}
