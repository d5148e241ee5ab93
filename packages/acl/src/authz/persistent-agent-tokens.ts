import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigAgentTokens, type AgentTokenType, type RuntimeConfig } from '@proconsul/kernel';

/**
 * The kernel's AgentTokens with Consul's `acl.enable_token_persistence`: tokens set
 * through `/v1/agent/token/:type` are kept in `data_dir/acl-tokens.json` (mode 0600) and
 * win over the config at the next start.
 */
export class PersistentAgentTokens extends ConfigAgentTokens {
  private readonly file: string | undefined;

  constructor(config: RuntimeConfig) {
    super(config);
    this.file = config.acl.enableTokenPersistence && config.dataDir ? join(config.dataDir, 'acl-tokens.json') : undefined;
    for (const [k, v] of Object.entries(this.readPersisted())) {
      const type = ConfigAgentTokens.canonical(k);
      if (type && typeof v === 'string' && v) this.tokens.set(type, v);
    }
  }

  /** Accepts Consul's legacy names (`agent_master`) too. */
  override set(type: AgentTokenType | string, token: string): void {
    const t = ConfigAgentTokens.canonical(type);
    if (!t) return;
    super.set(t, token);
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
