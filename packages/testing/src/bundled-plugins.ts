/**
 * The plugins this build of the package carries, by the package name plugins.json uses
 * (KernelOptions.bundledPluginImports). Empty in the tsc output, where the kernel imports each
 * plugin by name as the CLI does. The bundle's entry (scripts/bundle.mjs) fills it before its
 * exports can be called, so the kernel takes a bundled plugin from here rather than importing
 * the unbundled package, which would load every module of it (and a second copy of the
 * kernel) from node_modules.
 */
export const bundledPluginImports: Record<string, () => Promise<{ readonly default?: unknown }>> = {};
