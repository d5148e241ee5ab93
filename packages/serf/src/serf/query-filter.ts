import type { QueryFilters } from './serf-messages.js';

/** Whether this member should answer a query with these filters. Bad regexps match nothing. */
export function matchesFilters(f: QueryFilters | undefined, name: string, tags: Readonly<Record<string, string>>): boolean {
  if (!f) return true;
  if (Array.isArray(f.nodes) && f.nodes.length > 0 && !f.nodes.includes(name)) return false;
  for (const [tag, expr] of Object.entries(f.tags ?? {})) {
    const v = tags[tag];
    if (v === undefined) return false;
    try {
      if (!new RegExp(`^(?:${expr})$`).test(v)) return false;
    } catch {
      return false;
    }
  }
  return true;
}
