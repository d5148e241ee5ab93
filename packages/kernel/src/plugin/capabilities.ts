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

export type AgentRole = 'server' | 'client';

/**
 * What an agent of each role cannot run without. A server holds the replicated state, so
 * something must provide consensus (and that plugin its storage); every agent reaches the
 * servers over the server port. A client needs no consensus and no storage — it forwards
 * every request — so a client's list (plugins.client.json) has neither.
 */
export const ROLE_CAPABILITIES: Readonly<Record<AgentRole, readonly string[]>> = {
  server: ['consensus', 'server-rpc'],
  client: ['server-rpc'],
};

/** What to tell a user whose list lacks one of them. */
export const ROLE_CAPABILITY_HINTS: Readonly<Record<string, string>> = {
  consensus:
    "a client agent's list such as plugins.client.json has no consensus or storage engine; start servers with plugins.json",
  'server-rpc': 'it carries every request to and between servers: add @proconsul/server-rpc',
};
