import { createRequire } from 'node:module';
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PluginInvalid, PluginNotFound } from '../errors/kernel-errors.js';
import { isProconsulPlugin, type ProconsulPlugin } from './plugin-manifest.js';

/**
 * Import the plugin a plugins.json entry names. Paths ("./x", "../x", "/x") resolve
 * against the plugins.json directory; package names resolve from there first (a user's
 * own node_modules) and then from the kernel's install (the bundled plugins).
 */
export async function importPlugin(spec: string, pluginsFile: string): Promise<ProconsulPlugin> {
  const url = locate(spec, pluginsFile);
  let mod: { default?: unknown };
  try {
    mod = (await import(url)) as { default?: unknown };
  } catch (e) {
    throw PluginNotFound(spec, pluginsFile, (e as Error).message.split('\n')[0] ?? 'import failed');
  }
  return asPlugin(spec, mod.default);
}

/** `value` as a plugin, or PLUGIN_INVALID naming `spec`: what an import or a preloaded table gave. */
export function asPlugin(spec: string, value: unknown): ProconsulPlugin {
  if (!isProconsulPlugin(value)) {
    throw PluginInvalid(
      spec,
      'its default export needs a manifest {name, version, provides, requires, configSchema} and createModule()',
    );
  }
  return value;
}

function locate(spec: string, pluginsFile: string): string {
  const base = dirname(resolve(pluginsFile));
  if (spec.startsWith('.') || isAbsolute(spec)) {
    const target = isAbsolute(spec) ? spec : resolve(base, spec);
    return pathToFileURL(entryOf(target, spec, pluginsFile)).href;
  }
  for (const from of [join(base, 'noop.js'), import.meta.filename]) {
    try {
      return pathToFileURL(createRequire(from).resolve(spec)).href;
    } catch {
      // try the next location
    }
  }
  throw PluginNotFound(spec, pluginsFile, 'no such package is installed');
}

/** A directory plugin is a package: use its proconsul.plugin, exports "." or main. */
function entryOf(target: string, spec: string, pluginsFile: string): string {
  let st;
  try {
    st = statSync(target);
  } catch {
    throw PluginNotFound(spec, pluginsFile, `${target} does not exist`);
  }
  if (!st.isDirectory()) return target;
  let pkg: { main?: string; exports?: unknown; proconsul?: { plugin?: string } };
  try {
    pkg = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')) as typeof pkg;
  } catch {
    throw PluginNotFound(spec, pluginsFile, `${target} has no readable package.json`);
  }
  const exp = pkg.exports as { '.'?: { default?: string } | string } | string | undefined;
  const dot = typeof exp === 'string' ? exp : typeof exp?.['.'] === 'string' ? exp['.'] : exp?.['.']?.default;
  const entry = pkg.proconsul?.plugin ?? dot ?? pkg.main ?? 'index.js';
  return join(target, entry);
}
