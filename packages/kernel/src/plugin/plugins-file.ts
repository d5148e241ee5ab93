import { readFile } from 'node:fs/promises';
import { PluginsFileInvalid } from '../errors/kernel-errors.js';

/** One entry of plugins.json after normalisation. */
export interface PluginEntry {
  /** npm package name, or a path relative to the plugins.json file. */
  readonly package: string;
  readonly config: Record<string, unknown>;
  /** Position in the file, for error messages. */
  readonly position: number;
}

export interface PluginsFile {
  readonly path: string;
  readonly plugins: readonly PluginEntry[];
}

const TOP_FIELDS = new Set(['$schema', 'description', 'plugins']);

/**
 * The problem with the file's top level, or undefined. Checked by hand: the shape is three
 * fields, and compiling a schema for it was a measurable part of an agent's first start.
 */
function checkTop(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return '/ must be an object with a "plugins" array';
  const unknown = Object.keys(data).filter((k) => !TOP_FIELDS.has(k));
  if (unknown.length > 0)
    return `/ has unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}`;
  const d = data as Record<string, unknown>;
  if (!('plugins' in d)) return "/ must have required property 'plugins'";
  if (!Array.isArray(d['plugins'])) return '/plugins must be array';
  for (const k of ['$schema', 'description']) if (d[k] !== undefined && typeof d[k] !== 'string') return `/${k} must be string`;
  return undefined;
}

const ENTRY_FORMS = 'an entry is a package name ("@proconsul/raft") or {"package": "<name>", "config": {…}}';
const ENTRY_FIELDS = new Set(['package', 'config']);

/** The problem with plugins.json entry `e` at `where`, or undefined when it is well formed. */
function checkEntry(e: unknown, where: string): string | undefined {
  if (typeof e === 'string') return e.length > 0 ? undefined : `${where} is an empty package name; ${ENTRY_FORMS}`;
  if (typeof e !== 'object' || e === null || Array.isArray(e))
    return `${where} must be a string or an object, not ${e === null ? 'null' : Array.isArray(e) ? 'an array' : typeof e}; ${ENTRY_FORMS}`;
  const unknown = Object.keys(e).filter((k) => !ENTRY_FIELDS.has(k));
  if (unknown.length > 0)
    return `${where} has unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}; ${ENTRY_FORMS}`;
  const { package: pkg, config } = e as { package?: unknown; config?: unknown };
  if (typeof pkg !== 'string' || pkg.length === 0) return `${where}/package must be a non-empty package name; ${ENTRY_FORMS}`;
  if (config !== undefined && (typeof config !== 'object' || config === null || Array.isArray(config)))
    return `${where}/config must be an object`;
  return undefined;
}

/** Parse and validate a plugins.json text. `path` is used in messages only. */
export function parsePluginsFile(text: string, path: string): PluginsFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw PluginsFileInvalid(path, `not valid JSON: ${(e as Error).message}`);
  }
  const top = checkTop(data);
  if (top) throw PluginsFileInvalid(path, top);
  (data as { plugins: unknown[] }).plugins.forEach((e, i) => {
    const problem = checkEntry(e, `/plugins/${i}`);
    if (problem) throw PluginsFileInvalid(path, problem);
  });
  const raw = (data as { plugins: (string | { package: string; config?: Record<string, unknown> })[] }).plugins;
  return {
    path,
    plugins: raw.map((e, position) =>
      typeof e === 'string' ? { package: e, config: {}, position } : { package: e.package, config: e.config ?? {}, position },
    ),
  };
}

export async function readPluginsFile(path: string): Promise<PluginsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw PluginsFileInvalid(path, `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parsePluginsFile(text, path);
}
