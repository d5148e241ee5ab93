import { isCoded, type Logger, type RuntimeConfig, type TlsConfigurator } from '@proconsul/kernel';
import type { ConfigReloader } from './config-reloader.js';
import { ReloadFailed } from './local-errors.js';
import type { LocalAgent } from './local-agent.js';

/**
 * `PUT /v1/agent/reload` and SIGHUP: re-read the configuration and apply its services and
 * checks as a diff (unchanged checks keep their status and schedule). Other settings need
 * a restart, as most of Consul's do. TLS certificates, keys and CAs are re-read too (as
 * Consul does), before anything else changes: a bad file fails the whole reload and the
 * listeners keep their old certificates. Reloads are serialised by LocalAgent.
 */
export class AgentReload {
  constructor(
    private readonly local: LocalAgent,
    private readonly current: RuntimeConfig,
    private readonly log: Logger,
    private readonly reloader?: ConfigReloader,
    private readonly tls?: TlsConfigurator,
  ) {}

  /** Rejects with a coded 500 naming the problem; the running services and checks are kept then. */
  async reload(): Promise<void> {
    let config: RuntimeConfig;
    try {
      config = this.reloader ? this.reloader.load() : this.current;
    } catch (e) {
      throw ReloadFailed(isCoded(e) ? e.message : String(e));
    }
    try {
      this.tls?.reload(config.tls);
    } catch (e) {
      throw ReloadFailed(isCoded(e) ? e.message : String(e));
    }
    try {
      await this.local.applyConfig(config.services, config.checks);
    } catch (e) {
      throw ReloadFailed(isCoded(e) ? e.message : String(e));
    }
    this.log.info('configuration reloaded', { services: config.services.length, checks: config.checks.length });
  }
}
