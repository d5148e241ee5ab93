import type { RuntimeConfig } from '@proconsul/kernel';

/**
 * Re-reads the agent's configuration from the same files and flags it was started with
 * (the CLI binds it, keeping the original arguments). Used by `PUT /v1/agent/reload` and
 * SIGHUP. Optional: without it a reload re-applies the configuration the agent started with.
 */
export const ConfigReloader = Symbol.for('proconsul.ConfigReloader');

export interface ConfigReloader {
  /** Synchronous file reads; throws a coded error (naming file and key) for an invalid configuration. */
  load(): RuntimeConfig;
}
