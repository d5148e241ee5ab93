/**
 * The plugins this build of the CLI carries: each package name plugins.json uses, with the
 * bundle's own import() of it. Empty in the tsc output, where the kernel imports each plugin
 * from node_modules. The bundle's entry (scripts/bundle.mjs) fills it before main.js runs; the
 * kernel calls an import only for a plugin the agent's plugins.json names, so a client does
 * not load raft or the storage engine.
 */
export const bundledPluginImports: Record<string, () => Promise<{ readonly default?: unknown }>> = {};
