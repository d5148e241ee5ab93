import type { ContainerModule } from 'inversify';
import {
  CONSUL_COMPAT_VERSION,
  Kernel,
  Membership,
  PROCONSUL_VERSION,
  type KernelOptions,
  type Logger,
  type RuntimeConfig,
} from '@proconsul/kernel';
import { resolveNodeId } from '@proconsul/config';
import { secureAgentDataDir } from './data-dir-permissions.js';
import { ensureUsableDataDir } from './data-dir-check.js';

/** How long a graceful leave may take before the agent stops without finishing it. */
export const DEFAULT_LEAVE_TIMEOUT_MS = 5_000;

export interface AgentOptions {
  readonly config: RuntimeConfig;
  readonly logger: Logger;
  /** plugins.json to use when the config names none. */
  readonly defaultPluginsFile: string;
  readonly coreModules?: readonly ContainerModule[];
  readonly agentModules?: readonly ContainerModule[];
  /** A bundle's import() of each plugin it carries (KernelOptions.bundledPluginImports); called only for listed plugins. */
  readonly bundledPluginImports?: KernelOptions['bundledPluginImports'];
}

/**
 * One agent: settles identity (data_dir, owner-only, and node ID), loads the deployment's plugins into a
 * kernel and runs their lifecycles. Nothing is left running if start fails.
 */
export class Agent {
  private kernel: Kernel | undefined;
  readonly config: RuntimeConfig;

  constructor(private readonly options: AgentOptions) {
    const c = options.config;
    if (c.dataDir) ensureUsableDataDir(c.dataDir);
    if (c.dataDir) secureAgentDataDir(c.dataDir, options.logger);
    this.config = { ...c, nodeId: resolveNodeId(c.nodeId, c.dataDir) };
  }

  get pluginsFile(): string {
    return this.config.pluginsFile || this.options.defaultPluginsFile;
  }

  async start(): Promise<Kernel> {
    const log = this.options.logger;
    const c = this.config;
    log.info(`Proconsul agent ${PROCONSUL_VERSION} (Consul API ${CONSUL_COMPAT_VERSION}) starting`, {
      node: c.nodeName,
      id: c.nodeId,
      datacenter: c.datacenter,
      server: c.server,
      plugins: this.pluginsFile,
    });
    const kernel = await Kernel.load(this.pluginsFile, {
      config: c,
      logger: log,
      coreModules: this.options.coreModules ?? [],
      agentModules: this.options.agentModules ?? [],
      role: c.server ? 'server' : 'client',
      ...(this.options.bundledPluginImports ? { bundledPluginImports: this.options.bundledPluginImports } : {}),
    });
    await kernel.start();
    this.kernel = kernel;
    log.info('agent started', { plugins: kernel.plugins.map((p) => p.manifest.name).join(',') });
    return kernel;
  }

  /**
   * Stop every plugin, after leaving the gossip pools gracefully when `leave` is set. The
   * leave gets at most `leaveTimeoutMs` (a pool with no one left to tell would otherwise
   * hold shutdown for serf's broadcast timeout per pool); the plugins are stopped anyway.
   */
  async stop(options: { leave?: boolean; leaveTimeoutMs?: number } = {}): Promise<void> {
    const k = this.kernel;
    this.kernel = undefined;
    if (!k) return;
    if (options.leave && k.container.isBound(Membership)) {
      const limit = options.leaveTimeoutMs ?? DEFAULT_LEAVE_TIMEOUT_MS;
      const log = this.options.logger;
      // Handled here even when it settles after the deadline: a late rejection must not crash the process.
      const leaving = k.container
        .get<Membership>(Membership)
        .leave()
        .then(
          () => 'left' as const,
          (e: unknown) => log.warn('graceful leave failed', { error: e }),
        );
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), limit)));
      const outcome = await Promise.race([leaving, timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') log.warn('graceful leave did not finish in time; stopping anyway', { limitMs: limit });
    }
    await k.stop();
  }
}
