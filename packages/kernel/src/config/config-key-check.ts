import { CONFIG_KEYS, type KeySpec } from './config-keys.js';
import { UNIMPLEMENTED_KEYS } from './config-unimplemented-keys.js';

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
    else if (typeof t === 'object' && v && typeof v === 'object' && !Array.isArray(v))
      walk(v as Record<string, unknown>, t, path + '.', out);
  }
}
