import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
 * `/v1/agent/token/:type`. Only `default` (requests that carry no token, and DNS) changes
 * what this agent does here. With `acl.enable_token_persistence` and a data_dir, tokens
 * set through the API are kept in `data_dir/acl-tokens.json` (mode 0600) and win over the
 * config at the next start, as in Consul.
 */
export class AgentTokens {
  private readonly tokens = new Map<string, string>();
  private readonly file: string | undefined;

  constructor(config: RuntimeConfig) {
    for (const [k, v] of Object.entries(config.acl.tokens)) {
      const type = TYPES[k];
      if (type && v) this.tokens.set(type, v);
    }
    this.file = config.acl.enableTokenPersistence && config.dataDir ? join(config.dataDir, 'acl-tokens.json') : undefined;
    for (const [k, v] of Object.entries(this.readPersisted())) {
      const type = TYPES[k];
      if (type && typeof v === 'string' && v) this.tokens.set(type, v);
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
    if (!this.file) return;
    const persisted = { ...this.readPersisted(), [t]: token };
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(persisted) + '\n', { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  private readPersisted(): Record<string, unknown> {
    if (!this.file) return {};
    try {
      const v = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
}
