import type { ContainerModule } from 'inversify';
import type { RuntimeConfig } from '../config/runtime-config.js';
import type { Logger } from '../log/logger.js';

/**
 * What a plugin says about itself; the kernel checks all of it before loading anything
 * (fastify's plugin-meta, VS Code's `contributes`).
 */
export interface PluginManifest {
  /** Short name used in logs and errors, e.g. "store-memory". Unique per deployment. */
  readonly name: string;
  readonly version: string;
  /** Capabilities this plugin contributes (see ./capabilities.ts), e.g. ["storage"], ["check-type:http"]. */
  readonly provides: readonly string[];
  /** Capabilities that must be provided by some other loaded plugin; also orders loading. */
  readonly requires: readonly string[];
  /** JSON schema (draft-07, ajv) for this plugin's entry `config` in plugins.json. */
  readonly configSchema: object;
}

export interface PluginContext {
  readonly config: RuntimeConfig;
  readonly logger: Logger;
}

/**
 * The default export of a plugin package (or of the file a relative path names).
 * `createModule` receives the plugin's own config after it passed `configSchema`, with
 * schema defaults filled in.
 */
export interface ProconsulPlugin<C = Record<string, unknown>> {
  readonly manifest: PluginManifest;
  createModule(config: C, context: PluginContext): ContainerModule;
}

export function isProconsulPlugin(x: unknown): x is ProconsulPlugin {
  if (typeof x !== 'object' || x === null) return false;
  const p = x as Partial<ProconsulPlugin>;
  return (
    typeof p.createModule === 'function' &&
    typeof p.manifest === 'object' &&
    p.manifest !== null &&
    typeof p.manifest.name === 'string' &&
    Array.isArray(p.manifest.provides) &&
    Array.isArray(p.manifest.requires)
  );
}
