import type { RuntimeConfig } from '../config/runtime-config.js';
import type { AgentTokens, AgentTokenType } from './agent-tokens.js';

/** Consul's legacy names for token kinds. */
const ALIASES: Readonly<Record<string, AgentTokenType>> = {
  default: 'default',
  agent: 'agent',
  agent_recovery: 'agent_recovery',
  agent_master: 'agent_recovery',
  replication: 'replication',
  config_file_service_registration: 'config_file_service_registration',
  dns: 'dns',
};

const FALLS_BACK_TO_DEFAULT: ReadonlySet<AgentTokenType> = new Set(['agent', 'dns', 'config_file_service_registration']);

/**
 * The kernel's AgentTokens: the config's `acl.tokens`, changed in memory by `set`. The acl
 * plugin rebinds a persistent variant when `acl.enable_token_persistence` is on.
 */
export class ConfigAgentTokens implements AgentTokens {
  protected readonly tokens = new Map<AgentTokenType, string>();

  constructor(config: RuntimeConfig) {
    // Partial configs (tests, embedding) may have no acl block at all.
    for (const [k, v] of Object.entries(config.acl?.tokens ?? {})) {
      const type = ALIASES[k];
      if (type && v) this.tokens.set(type, v);
    }
  }

  /** The canonical kind for a name (legacy aliases accepted), or undefined when Consul has no such token. */
  static canonical(type: string): AgentTokenType | undefined {
    return ALIASES[type];
  }

  get(type: AgentTokenType): string | undefined {
    const own = this.tokens.get(type);
    if (own || !FALLS_BACK_TO_DEFAULT.has(type)) return own;
    return this.tokens.get('default');
  }

  set(type: AgentTokenType, token: string): void {
    if (token) this.tokens.set(type, token);
    else this.tokens.delete(type);
  }
}
