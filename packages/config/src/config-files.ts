import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, ConfigInvalid, type ValidateFunction } from '@proconsul/kernel';
import { checkConfigKeys } from './config-key-check.js';
import { configFileSchema } from './config-schema.js';
import { configFormatOf, parseConfigText, type ConfigFormat } from './config-text-parser.js';
import type { HclPos } from '@proconsul/hcl';

/** One parsed config source (a file, or the flags), in merge order. */
export interface ConfigSource {
  readonly name: string;
  readonly data: Record<string, unknown>;
  /** Where a dotted key was written in the file, when known. */
  readonly locate?: (key: string) => HclPos | undefined;
}

/** Compiled on first use: ~180 ms, which agents built from data (startTestAgent) never pay. */
let compiled: ValidateFunction | undefined;
const validator = (): ValidateFunction => (compiled ??= new Ajv({ allErrors: false, strict: false }).compile(configFileSchema()));

/**
 * Read `-config-file` paths and `-config-dir` directories: every *.json and *.hcl file of
 * a directory in lexical order (every file, when `-config-format` says what they are).
 */
export function readConfigSources(
  files: readonly string[],
  dirs: readonly string[],
  warn: (msg: string) => void,
  format?: ConfigFormat,
): ConfigSource[] {
  const out: ConfigSource[] = [];
  for (const f of files) out.push(readConfigFile(f, format));
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
      const path = join(d, n);
      if (!isFile(path)) continue;
      if (configFormatOf(path, format)) out.push(readConfigFile(path, format));
      else warn(`skipping ${path}: the extension must be .json or .hcl, or -config-format must be set`);
    }
  }
  return out;
}

/** One config file, in the format `-config-format` forces or its extension says. */
export function readConfigFile(path: string, forced?: ConfigFormat): ConfigSource {
  const format = configFormatOf(path, forced);
  if (!format) throw ConfigInvalid(path, '', 'has neither a .json nor a .hcl extension; set -config-format to read it');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw ConfigInvalid(path, '', `cannot read config file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const parsed = parseConfigText(path, text, format);
  return checkConfigData(path, parsed.data, parsed.locate);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Validate parsed config data, naming the source (and line, when known) and key on a type error. */
export function checkConfigData(name: string, data: unknown, locate?: (key: string) => HclPos | undefined): ConfigSource {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw ConfigInvalid(name, '', 'must be a JSON object');
  }
  const validate = validator();
  if (!validate(data)) {
    const err = validate.errors?.find((e) => e.keyword !== 'anyOf') ?? validate.errors?.[0];
    const key = (err?.instancePath ?? '').slice(1).replace(/\//g, '.');
    const keyPath = key
      .split('.')
      .filter((s) => !/^\d+$/.test(s))
      .join('.');
    throw ConfigInvalid(where(name, locate?.(keyPath)), key, err?.message ?? 'is invalid');
  }
  return { name, data: data as Record<string, unknown>, ...(locate && { locate }) };
}

/** `file:line:col` when the position is known, else the file. */
export function where(name: string, pos: HclPos | undefined): string {
  return pos ? `${name}:${pos.line}:${pos.col}` : name;
}

/** Dotted paths of keys we do not know, and of keys Consul has that Proconsul does not implement yet. */
export function unknownKeys(data: Record<string, unknown>): { unknown: string[]; ignored: string[] } {
  const { unknown, unimplemented } = checkConfigKeys(data);
  return { unknown, ignored: unimplemented };
}
