import { ConfigKeyUnknown } from '@proconsul/kernel';
import { checkConfigKeys } from './config-key-check.js';
import type { ConfigSource } from './config-files.js';
import { where } from './config-files.js';
import { UNIMPLEMENTED_KEYS } from './config-unimplemented-keys.js';

/**
 * Consul's strictness: an unknown key in a source stops the agent (a typo must not start an
 * agent with defaults), naming file, line and key; a key Consul has that Proconsul does not
 * implement yet loads with a warning saying so.
 */
export function checkSourceKeys(source: ConfigSource, warn: (msg: string) => void): void {
  const { unknown, unimplemented } = checkConfigKeys(source.data);
  for (const k of unimplemented) {
    warn(
      `${where(source.name, source.locate?.(k))}: config key "${k}" (${UNIMPLEMENTED_KEYS[k]}) is not implemented by Proconsul yet and has no effect`,
    );
  }
  if (unknown.length === 0) return;
  const [first, ...rest] = unknown;
  const more = rest.length ? ` (and ${rest.map((k) => `"${k}"`).join(', ')})` : '';
  throw ConfigKeyUnknown(where(source.name, source.locate?.(first!)), first!, more);
}
