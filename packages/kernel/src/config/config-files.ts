import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { ConfigInvalid } from '../errors/kernel-errors.js';
import { CONFIG_KEYS, IGNORED_KEYS, type KeySpec } from './config-keys.js';
import { configFileSchema } from './config-schema.js';

/** One parsed config source (a file, or the flags), in merge order. */
export interface ConfigSource {
  readonly name: string;
  readonly data: Record<string, unknown>;
}

const validate = new Ajv({ allErrors: false, strict: false }).compile(configFileSchema());

/** Read `-config-file` paths and `-config-dir` directories (every *.json in lexical order). */
export function readConfigSources(
  files: readonly string[],
  dirs: readonly string[],
  warn: (msg: string) => void,
): ConfigSource[] {
  const out: ConfigSource[] = [];
  for (const f of files) out.push(readConfigFile(f));
  for (const d of dirs) {
    let names: string[];
    try {
      if (!statSync(d).isDirectory()) throw ConfigInvalid(d, '', 'is not a directory (-config-dir)');
      names = readdirSync(d).sort();
    } catch (e) {
      if ((e as { code?: string }).code === 'CONFIG_INVALID') throw e;
      throw ConfigInvalid(d, '', `cannot read config directory: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    for (const n of names) {
      if (n.endsWith('.json')) out.push(readConfigFile(join(d, n)));
      else if (n.endsWith('.hcl')) warn(`skipping ${join(d, n)}: HCL config is not supported, convert it to JSON`);
    }
  }
  return out;
}

export function readConfigFile(path: string): ConfigSource {
  if (path.endsWith('.hcl')) throw ConfigInvalid(path, '', 'HCL config is not supported; use the JSON form of the same keys');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw ConfigInvalid(path, '', `cannot read config file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw ConfigInvalid(path, '', `is not valid JSON: ${(e as Error).message}`);
  }
  return checkConfigData(path, data);
}

/** Validate parsed config data, naming the source and key on a type error. */
export function checkConfigData(name: string, data: unknown): ConfigSource {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw ConfigInvalid(name, '', 'must be a JSON object');
  }
  if (!validate(data)) {
    const err = validate.errors?.find((e) => e.keyword !== 'anyOf') ?? validate.errors?.[0];
    const key = (err?.instancePath ?? '').slice(1).replace(/\//g, '.');
    throw ConfigInvalid(name, key, err?.message ?? 'is invalid');
  }
  return { name, data: data as Record<string, unknown> };
}

/** Dotted paths of keys we do not know, so the caller can warn. Ignored-but-accepted keys are listed separately. */
export function unknownKeys(data: Record<string, unknown>): { unknown: string[]; ignored: string[] } {
  const unknown: string[] = [];
  const ignored: string[] = [];
  walk(data, CONFIG_KEYS, '', unknown, ignored);
  return { unknown, ignored };
}

function walk(data: Record<string, unknown>, spec: KeySpec, prefix: string, unknown: string[], ignored: string[]): void {
  for (const [k, v] of Object.entries(data)) {
    const t = spec[k];
    const path = prefix + k;
    if (t === undefined) {
      if (IGNORED_KEYS.has(path)) ignored.push(path);
      else unknown.push(path);
    } else if (typeof t === 'object' && v && typeof v === 'object' && !Array.isArray(v)) {
      walk(v as Record<string, unknown>, t, path + '.', unknown, ignored);
    }
  }
}
