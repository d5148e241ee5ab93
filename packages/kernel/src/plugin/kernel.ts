import { Container, type ContainerModule } from 'inversify';
import { PluginStartFailed } from '../errors/kernel-errors.js';
import { isCoded } from '../errors/proconsul-error.js';
import { Lifecycle } from '../extension-points/lifecycle.js';
import { Authorizer } from '../extension-points/authorizer.js';
import { AllowAllAuthorizer } from '../acl/allow-all-authorizer.js';
import { AgentTokens } from '../acl/agent-tokens.js';
import { ConfigAgentTokens } from '../acl/config-agent-tokens.js';
import { RuntimeConfig } from '../config/runtime-config.js';
import { Logger } from '../log/logger.js';
import { validatePluginConfig } from './plugin-config.js';
import type { PluginManifest, ProconsulPlugin } from './plugin-manifest.js';
import type { AgentRole } from './capabilities.js';
import { orderPlugins } from './plugin-order.js';
import { checkRoleCapabilities } from './role-capabilities.js';
import { asPlugin, importPlugin } from './plugin-resolver.js';
import { readPluginsFile } from './plugins-file.js';

export interface KernelOptions {
  readonly config: RuntimeConfig;
  readonly logger: Logger;
  /** Kernel services every plugin may inject (state store, FSM, …); loaded first. */
  readonly coreModules?: readonly ContainerModule[];
  /**
   * Agent services that consume plugins (TLS settings, endpoints wiring, anti-entropy, …);
   * loaded last, so a module may bind a default where no plugin bound the token.
   */
  readonly agentModules?: readonly ContainerModule[];
  /**
   * The agent's role: the capabilities it needs (ROLE_CAPABILITIES) must be provided, or
   * the load fails with PLUGIN_ROLE_CAPABILITY_MISSING. Unset (tests, embedding): unchecked.
   */
  readonly role?: AgentRole;
  /**
   * Plugins an embedder carries itself (a bundle: the CLI's, @proconsul/testing's), by the
   * package name a plugins.json entry uses: a function resolving to the plugin's module,
   * whose default export is the plugin. plugins.json still decides which plugins run and with
   * what config; a function is called only for an entry the file names (so a client does not
   * compile the server's plugins), any other entry is imported as usual. May block on the import.
   */
  readonly bundledPluginImports?: Readonly<Record<string, () => Promise<{ readonly default?: unknown }>>>;
}

export interface LoadedPlugin {
  readonly manifest: PluginManifest;
  readonly config: Record<string, unknown>;
  readonly source: string;
}

/**
 * The inversify container plus the plugins plugins.json named. Everything is checked
 * (file, packages, manifests, configs, capabilities, order) before any module is loaded,
 * so a bad deployment fails with nothing half-started.
 */
export class Kernel {
  readonly container = new Container({ defaultScope: 'Singleton' });
  private started: Lifecycle[] = [];

  private constructor(
    readonly plugins: readonly LoadedPlugin[],
    private readonly log: Logger,
  ) {}

  /** Read plugins.json, import and check every plugin, and load the modules in dependency order. */
  static async load(pluginsFile: string, options: KernelOptions): Promise<Kernel> {
    const file = await readPluginsFile(pluginsFile);
    // Imported side by side, so one plugin's file reads overlap another's parsing; a failure
    // is still reported for the first failing entry in file order.
    const bundled = options.bundledPluginImports ?? {};
    const settled = await Promise.allSettled(
      file.plugins.map((entry) =>
        Object.hasOwn(bundled, entry.package)
          ? bundled[entry.package]!().then((m) => asPlugin(entry.package, m.default))
          : importPlugin(entry.package, file.path),
      ),
    );
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const imported = settled.map((r) => (r as PromiseFulfilledResult<ProconsulPlugin>).value);
    const configs = imported.map((p, i) => validatePluginConfig(p.manifest, file.plugins[i]!.config));
    const order = orderPlugins(imported.map((p) => p.manifest));
    checkRoleCapabilities(
      imported.map((p) => p.manifest),
      options.role,
      file.path,
    );
    return Kernel.assemble(
      order.map((i) => ({ plugin: imported[i]!, config: configs[i]!, source: file.plugins[i]!.package })),
      options,
    );
  }

  /** Load already-imported plugins (tests, embedding). Same checks as {@link load}. */
  static fromPlugins(
    entries: readonly { plugin: ProconsulPlugin; config?: Record<string, unknown> }[],
    options: KernelOptions,
  ): Kernel {
    const configs = entries.map((e) => validatePluginConfig(e.plugin.manifest, e.config ?? {}));
    const order = orderPlugins(entries.map((e) => e.plugin.manifest));
    checkRoleCapabilities(
      entries.map((e) => e.plugin.manifest),
      options.role,
      'the plugin list',
    );
    return Kernel.assemble(
      order.map((i) => ({ plugin: entries[i]!.plugin, config: configs[i]!, source: entries[i]!.plugin.manifest.name })),
      options,
    );
  }

  private static assemble(
    ordered: readonly { plugin: ProconsulPlugin; config: Record<string, unknown>; source: string }[],
    options: KernelOptions,
  ): Kernel {
    const modules = ordered.map((o) =>
      o.plugin.createModule(o.config, { config: options.config, logger: options.logger.named(o.plugin.manifest.name) }),
    );
    const kernel = new Kernel(
      ordered.map((o) => ({ manifest: o.plugin.manifest, config: o.config, source: o.source })),
      options.logger,
    );
    const c = kernel.container;
    c.bind<Logger>(Logger).toConstantValue(options.logger);
    c.bind<RuntimeConfig>(RuntimeConfig).toConstantValue(options.config);
    for (const m of options.coreModules ?? []) c.load(m);
    for (const m of modules) c.load(m);
    if (!c.isBound(Authorizer)) c.bind<Authorizer>(Authorizer).toConstantValue(new AllowAllAuthorizer());
    if (!c.isBound(AgentTokens)) c.bind<AgentTokens>(AgentTokens).toConstantValue(new ConfigAgentTokens(options.config));
    for (const m of options.agentModules ?? []) c.load(m);
    return kernel;
  }

  /**
   * Run configure on every lifecycle, then start, in load order. On failure, stops what
   * started — and the one whose start failed, which may hold part of what it acquired —
   * and rethrows.
   */
  async start(): Promise<void> {
    const lifecycles = this.container.getAll<Lifecycle>(Lifecycle);
    try {
      for (const l of lifecycles) await this.phase(l, 'configure');
      for (const l of lifecycles) {
        try {
          await this.phase(l, 'start');
        } catch (e) {
          await this.stopAfterFailedStart(l);
          throw e;
        }
        this.started.push(l);
      }
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  /** Stop started lifecycles in reverse order. Errors are logged, not thrown, so every one gets its turn. */
  async stop(): Promise<void> {
    const started = this.started.reverse();
    this.started = [];
    for (const l of started) {
      try {
        l.stopping?.();
      } catch (e) {
        this.log.error('stopping failed', { plugin: l.name, error: e });
      }
    }
    for (const l of started) {
      try {
        await this.phase(l, 'stop');
      } catch (e) {
        this.log.error('stop failed', { plugin: l.name, error: e });
      }
    }
  }

  private async stopAfterFailedStart(l: Lifecycle): Promise<void> {
    try {
      await l.stop?.();
    } catch (e) {
      // Expected from a lifecycle that had acquired nothing: the start error is the one to report.
      this.log.debug('stop after failed start', { plugin: l.name, error: e });
    }
  }

  private async phase(l: Lifecycle, phase: 'configure' | 'start' | 'stop'): Promise<void> {
    const fn = l[phase];
    if (!fn) return;
    const t0 = performance.now();
    try {
      await fn.call(l);
    } catch (e) {
      if (isCoded(e)) throw e;
      throw PluginStartFailed(l.name, phase, (e as Error).message);
    }
    const ms = (performance.now() - t0).toFixed(1);
    if (phase === 'start') this.log.info('started', { plugin: l.name, duration: `${ms}ms` });
    else this.log.debug(`${phase} done`, { plugin: l.name, duration: `${ms}ms` });
  }
}
