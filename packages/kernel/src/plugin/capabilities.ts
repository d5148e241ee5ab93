/**
 * Capability names plugins provide and require. "single" capabilities admit exactly one
 * provider per deployment; a second is PLUGIN_CAPABILITY_CONFLICT. Names with a ":"
 * (check-type:http) are single per full name.
 */
export const SINGLE_CAPABILITIES: ReadonlySet<string> = new Set([
  'storage',
  'consensus',
  'membership',
  'authorizer',
  'gossip-encryption',
]);

export function isSingleValued(capability: string): boolean {
  return SINGLE_CAPABILITIES.has(capability) || capability.includes(':');
}
