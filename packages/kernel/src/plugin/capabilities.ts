/**
 * Capability names plugins provide and require. "single" capabilities admit exactly one
 * provider per deployment; a second is PLUGIN_CAPABILITY_CONFLICT. Names with a ":"
 * (check-type:http) are single per full name.
 */
export const SINGLE_CAPABILITIES: ReadonlySet<string> = new Set([
  'storage',
  'consensus',
  'server-rpc',
  'raft-streams',
  'membership',
  'authorizer',
  'gossip-encryption',
]);

export function isSingleValued(capability: string): boolean {
  return SINGLE_CAPABILITIES.has(capability) || capability.includes(':');
}

/**
 * What a server agent cannot run without: it holds the replicated state, so something must
 * provide consensus (and that plugin its storage). A client agent needs neither — it
 * forwards every request to a server — so a client's list (plugins.client.json) has none.
 */
export const SERVER_CAPABILITIES: readonly string[] = ['consensus'];
