import { compareStrings, SortedMap } from '@proconsul/collections';
import type { ConfigEntry } from '@proconsul/kernel';
import { SEP } from './table-keys.js';

const key = (kind: string, name: string) => `${kind}${SEP}${name}`;

/** Config entries by kind then name; `clone()` is O(1) like every table. */
export class ConfigEntryTable {
  constructor(readonly entries = new SortedMap<string, ConfigEntry>(compareStrings)) {}

  clone(): ConfigEntryTable {
    return new ConfigEntryTable(this.entries.clone());
  }

  get(kind: string, name: string): ConfigEntry | undefined {
    return this.entries.get(key(kind, name));
  }

  /** Every entry of `kind`, by name; every entry when `kind` is empty. */
  list(kind: string): ConfigEntry[] {
    if (!kind) return [...this.entries.values()];
    return [...this.entries.values({ gte: key(kind, ''), lt: `${kind}${String.fromCharCode(SEP.charCodeAt(0) + 1)}` })];
  }

  put(entry: ConfigEntry): void {
    this.entries.set(key(entry.Kind, entry.Name), entry);
  }

  delete(kind: string, name: string): boolean {
    return this.entries.delete(key(kind, name));
  }
}
