import type { FlagSpec } from './support/flag-set.js';

/** Shared by the `acl` subcommands: Consul's -format flag and output choice, link lists. */
export const FORMAT: FlagSpec = {
  name: 'format',
  kind: 'string',
  value: '<pretty|json>',
  default: 'pretty',
  usage: 'Output format: pretty or json.',
};

export function render(format: string, value: unknown, pretty: (v: never) => string): string {
  return format === 'json' ? JSON.stringify(value, null, 4) : pretty(value as never);
}

/** `-x-id` and `-x-name` flags as `[{ID}, {Name}]` links. */
export const links = (ids: string[], names: string[]) => [...ids.map((ID) => ({ ID })), ...names.map((Name) => ({ Name }))];
