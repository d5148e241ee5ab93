import { CONFIG_KEYS, type KeySpec } from './config-keys.js';
import {
  CHECK_DEFINITION_KEYS,
  SERVICE_DEFINITION_KEYS,
  WEIGHTS_KEYS,
  normaliseDefinitionKey,
} from './config-definition-keys.js';
import { UNIMPLEMENTED_KEYS } from './config-unimplemented-keys.js';

const CHECK_KEYS = new Set(CHECK_DEFINITION_KEYS.map(normaliseDefinitionKey));
const SERVICE_KEYS = new Set(SERVICE_DEFINITION_KEYS.map(normaliseDefinitionKey));
const WEIGHT_KEYS = new Set(WEIGHTS_KEYS.map(normaliseDefinitionKey));

/** A config source's keys sorted out: unknown ones stop the agent, unimplemented ones warn. Dotted paths. */
export interface KeyCheck {
  readonly unknown: string[];
  readonly unimplemented: string[];
}

/** Sorts a source's keys against CONFIG_KEYS and the UNIMPLEMENTED_KEYS table, in document order. */
export function checkConfigKeys(data: Readonly<Record<string, unknown>>): KeyCheck {
  const out: KeyCheck = { unknown: [], unimplemented: [] };
  walk(data, CONFIG_KEYS, '', out);
  return out;
}

function walk(data: Readonly<Record<string, unknown>>, spec: KeySpec, prefix: string, out: KeyCheck): void {
  for (const [k, v] of Object.entries(data)) {
    const path = prefix + k;
    const t = spec[k];
    if (UNIMPLEMENTED_KEYS[path] !== undefined) out.unimplemented.push(path);
    else if (t === undefined) out.unknown.push(path);
    else if (!prefix && (k === 'service' || k === 'services')) definitions(v, path, 'service', out);
    else if (!prefix && (k === 'check' || k === 'checks')) definitions(v, path, 'check', out);
    else if (typeof t === 'object' && v && typeof v === 'object' && !Array.isArray(v))
      walk(v as Record<string, unknown>, t, path + '.', out);
  }
}

/** Service and check definitions (one, or a list): their fields, their checks and weights. */
function definitions(v: unknown, path: string, kind: 'service' | 'check', out: KeyCheck): void {
  for (const def of Array.isArray(v) ? v : [v]) {
    if (!def || typeof def !== 'object' || Array.isArray(def)) continue;
    for (const [k, inner] of Object.entries(def as Record<string, unknown>)) {
      const n = normaliseDefinitionKey(k);
      if (!(kind === 'service' ? SERVICE_KEYS : CHECK_KEYS).has(n)) {
        out.unknown.push(`${path}.${k}`);
        continue;
      }
      if (kind !== 'service') continue;
      if (n === 'check' || n === 'checks') definitions(inner, `${path}.${k}`, 'check', out);
      else if (n === 'weights' && inner && typeof inner === 'object' && !Array.isArray(inner)) {
        for (const w of Object.keys(inner))
          if (!WEIGHT_KEYS.has(normaliseDefinitionKey(w))) out.unknown.push(`${path}.${k}.${w}`);
      }
    }
  }
}
