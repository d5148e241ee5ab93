/**
 * The agent's own ACL tokens (Consul's `acl.tokens`): seeded from the config, replaceable
 * at run time through `/v1/agent/token/:type` (the acl plugin owns that endpoint and any
 * persistence). The kernel reads them where the agent acts for itself: anti-entropy uses
 * `agent`, requests without a token and forwarded calls use `default`, DNS uses `dns`.
 * Reads are synchronous and cheap; `set` may write a file and is not called concurrently.
 */
export const AgentTokens = Symbol.for('proconsul.AgentTokens');

/** Token kinds as Consul names them. */
export type AgentTokenType = 'default' | 'agent' | 'agent_recovery' | 'replication' | 'config_file_service_registration' | 'dns';

export interface AgentTokens {
  /**
   * The effective token of a kind, with Consul's fallbacks: `agent` and `dns` fall back to
   * `default`; `config_file_service_registration` falls back to `default`.
   */
  get(type: AgentTokenType): string | undefined;
  /** Replace a token (empty string clears it). */
  set(type: AgentTokenType, token: string): void;
}
