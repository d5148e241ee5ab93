import type { RuntimeConfig } from '@proconsul/kernel';

/** The token kinds `/v1/agent/token/:type` sets, with Consul's legacy aliases. */
const TYPES: Readonly<Record<string, string>> = {
  default: 'default',
  agent: 'agent',
  agent_recovery: 'agent_recovery',
  agent_master: 'agent_recovery',
  replication: 'replication',
  config_file_service_registration: 'config_file_service_registration',
  dns: 'dns',
};

/**
 * The agent's own tokens: seeded from `acl.tokens`, replaceable at run time through
 * `/v1/agent/token/:type`. Only `default` (requests that carry no token) and `dns` (DNS
 * lookups; falls back to `default`) change what this agent does here. Kept in memory:
 * `acl.enable_token_persistence` is not implemented, so a restart returns to the config.
 */
export class AgentTokens {
  private readonly tokens = new Map<string, string>();

  constructor(config: RuntimeConfig) {
    for (const [k, v] of Object.entries(config.acl.tokens)) {
      const type = TYPES[k];
      if (type && v) this.tokens.set(type, v);
    }
  }

  /** The canonical type name, or undefined when Consul has no such token. */
  static canonical(type: string): string | undefined {
    return TYPES[type];
  }

  get(type: 'default' | 'dns'): string | undefined {
    return type === 'dns' ? (this.tokens.get('dns') ?? this.tokens.get('default')) : this.tokens.get(type);
  }

  set(type: string, token: string): void {
    const t = TYPES[type];
    if (!t) return;
    if (token) this.tokens.set(t, token);
    else this.tokens.delete(t);
  }
}
