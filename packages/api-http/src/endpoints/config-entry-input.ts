import { BadRequest, parseDuration, type ConfigEntryInput } from '@proconsul/kernel';
import { isConfigEntryKind } from '@proconsul/server';

/** `snake_case` or `lowerCamel` top-level keys as Consul's decoder accepts them, to its CamelCase. */
function camel(key: string): string {
  if (!/^[a-z]/.test(key)) return key;
  return key
    .split('_')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

/** A config entry kind from a URL or body: one Proconsul stores, else 400 as Consul words it. */
export function configEntryKind(kind: unknown): string {
  if (typeof kind !== 'string' || kind === '') {
    throw BadRequest('Request decoding failed: Payload does not contain a Kind key at the top level');
  }
  if (!isConfigEntryKind(kind)) throw BadRequest(`invalid config entry kind: ${kind}`);
  return kind;
}

/**
 * A `PUT /v1/config` body checked the way Consul validates each kind (the parts a client
 * relies on: kind, name, the names proxy-defaults and mesh must have, subset and split
 * rules, durations). Fields are stored as sent; indexes in the body are ignored.
 */
export function configEntryInput(body: Record<string, unknown>): ConfigEntryInput {
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) raw[camel(k)] = v;
  delete raw['CreateIndex'];
  delete raw['ModifyIndex'];
  const kind = configEntryKind(raw['Kind']);
  const name = raw['Name'];
  if (typeof name !== 'string' || name === '') throw BadRequest('Name is required');
  if (kind === 'proxy-defaults' && name !== 'global') {
    throw BadRequest(`invalid name ("${name}"), only "global" is supported`);
  }
  if (kind === 'mesh' && name !== 'mesh') throw BadRequest(`invalid name ("${name}"), only "mesh" is supported`);
  if (raw['Protocol'] !== undefined && typeof raw['Protocol'] !== 'string') throw BadRequest('Protocol must be a string');
  if (kind === 'service-resolver') checkResolver(raw);
  if (kind === 'service-splitter') checkSplitter(raw);
  if (kind === 'service-router' && raw['Routes'] !== undefined && !Array.isArray(raw['Routes'])) {
    throw BadRequest('Routes must be a list');
  }
  return { ...raw, Kind: kind, Name: name };
}

function checkResolver(raw: Record<string, unknown>): void {
  const subsets = raw['Subsets'];
  if (subsets !== undefined && (typeof subsets !== 'object' || subsets === null || Array.isArray(subsets))) {
    throw BadRequest('Subsets must be a map of subset name to definition');
  }
  const def = raw['DefaultSubset'];
  if (def !== undefined && def !== '') {
    if (typeof def !== 'string' || !subsets || !Object.hasOwn(subsets, def)) {
      throw BadRequest(`DefaultSubset "${String(def)}" is not a valid subset`);
    }
  }
  const timeout = raw['ConnectTimeout'];
  if (timeout !== undefined && typeof timeout !== 'number') {
    try {
      if (parseDuration(timeout as string) < 0) throw new Error('must be >= 0');
    } catch (e) {
      throw BadRequest(`ConnectTimeout: ${(e as Error).message}`);
    }
  }
}

function checkSplitter(raw: Record<string, unknown>): void {
  const splits = raw['Splits'];
  if (!Array.isArray(splits) || splits.length === 0) throw BadRequest('no splits configured');
  let sum = 0;
  for (const s of splits) {
    const w = (s as { Weight?: unknown } | null)?.Weight;
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw BadRequest('split Weight must be a number >= 0');
    sum += w;
  }
  // Consul compares in hundredths of a percent.
  if (Math.round(sum * 100) !== 10000) throw BadRequest(`the sum of all split weights must be 100, not ${sum}`);
}
