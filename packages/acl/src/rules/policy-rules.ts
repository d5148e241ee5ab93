import { RulesInvalid } from '../acl-errors.js';
import { readRulesHcl } from './rules-hcl-reader.js';

/** What a rule grants. `list` exists for keys only (listing without reading values). */
export type Level = 'deny' | 'read' | 'list' | 'write';

/** Resources with per-name rules (`key "a"`, `key_prefix "a/"`). */
export const NAMED_RESOURCES = ['agent', 'event', 'key', 'node', 'query', 'service', 'session'] as const;
export type NamedResource = (typeof NAMED_RESOURCES)[number];
/** Resources with one level for the whole cluster (`operator = "read"`). */
export const GLOBAL_RESOURCES = ['acl', 'keyring', 'operator', 'mesh', 'peering'] as const;
export type GlobalResource = (typeof GLOBAL_RESOURCES)[number];

/** Enterprise or mesh-only sections: valid in Consul policies, accepted and not acted on here. */
const IGNORED = new Set(['partition', 'partition_prefix', 'namespace', 'namespace_prefix', 'identity', 'identity_prefix']);

export interface PolicyRules {
  readonly exact: ReadonlyMap<NamedResource, ReadonlyMap<string, Level>>;
  readonly prefix: ReadonlyMap<NamedResource, ReadonlyMap<string, Level>>;
  readonly global: ReadonlyMap<GlobalResource, Level>;
}

/** Consul's precedence when policies overlap: deny, then write, then list, then read. */
const RANK: Record<Level, number> = { read: 0, list: 1, write: 2, deny: 3 };
export function stronger(a: Level, b: Level | undefined): Level {
  return b === undefined || RANK[a] > RANK[b] ? a : b;
}

/** Rules text (HCL or JSON, as Consul accepts) as a document; undefined for empty text. */
export function parseRulesDocument(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (!trimmed.startsWith('{')) return readRulesHcl(text);
  try {
    return JSON.parse(trimmed);
  } catch (e) {
    throw RulesInvalid(`invalid JSON: ${(e as Error).message}`);
  }
}

/** Parses rules text (HCL or JSON, as Consul accepts) into rules; a bad rule is a 400 naming it. */
export function parsePolicyRules(text: string): PolicyRules {
  const doc = parseRulesDocument(text);
  if (doc === undefined) return { exact: new Map(), prefix: new Map(), global: new Map() };
  return compile(doc);
}

function compile(doc: unknown): PolicyRules {
  if (!isObject(doc)) throw RulesInvalid('rules must be an object');
  const exact = new Map<NamedResource, Map<string, Level>>();
  const prefix = new Map<NamedResource, Map<string, Level>>();
  const global = new Map<GlobalResource, Level>();
  for (const [key, value] of Object.entries(doc)) {
    if (IGNORED.has(key)) continue;
    if ((GLOBAL_RESOURCES as readonly string[]).includes(key)) {
      global.set(key as GlobalResource, level(key, value, false));
      continue;
    }
    const isPrefix = key.endsWith('_prefix');
    const res = (isPrefix ? key.slice(0, -'_prefix'.length) : key) as NamedResource;
    if (!(NAMED_RESOURCES as readonly string[]).includes(res)) throw RulesInvalid(`unknown rule type "${key}"`);
    if (!isObject(value)) throw RulesInvalid(`${key} must be a block of names, as ${key} "name" { policy = "read" }`);
    const into = isPrefix ? prefix : exact;
    const byName = into.get(res) ?? new Map<string, Level>();
    into.set(res, byName);
    for (const [name, body] of Object.entries(value)) {
      if (!isObject(body)) throw RulesInvalid(`${key} "${name}" must be a block with a policy`);
      const lvl = level(`${key} "${name}"`, body['policy'], res === 'key');
      byName.set(name, stronger(lvl, byName.get(name)));
    }
  }
  return { exact, prefix, global };
}

function level(where: string, v: unknown, allowList: boolean): Level {
  if (v === 'read' || v === 'write' || v === 'deny' || (allowList && v === 'list')) return v;
  throw RulesInvalid(`invalid policy ${JSON.stringify(v)} for ${where} (want read, write${allowList ? ', list' : ''} or deny)`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
