import type { DirEntry } from '@proconsul/kernel';
import { TABLE } from './index-table.js';
import { toDirEntry } from './kv-row.js';
import { Reader, type QueryResult } from './query-result.js';
import { scanPrefix } from './table-keys.js';
import type { WatchSet } from './watch-set.js';

/** `/v1/kv/*` reads. Blocking reads watch only the key or prefix they read. */
export class KvReader extends Reader {
  /** One key. Index: its ModifyIndex, or the KV table's index when absent (as Consul). */
  get(key: string, ws?: WatchSet): QueryResult<DirEntry | null> {
    const t = this.source();
    if (ws && this.watches) this.watches.watchKey(ws, key);
    const entry = t.kv.get(key);
    if (entry) return { index: Math.max(1, entry.ModifyIndex), value: toDirEntry(entry) };
    return { index: t.indexes.max(TABLE.kvs, TABLE.tombstones), value: null };
  }

  /** `?recurse`: every entry under `prefix`, in key order. Index counts tombstones under the prefix. */
  list(prefix: string, ws?: WatchSet): QueryResult<DirEntry[]> {
    const t = this.source();
    if (ws && this.watches) this.watches.watchPrefix(ws, prefix);
    const value = [...scanPrefix(t.kv.entries, prefix)].map(([, e]) => toDirEntry(e));
    return { index: this.prefixIndex(prefix), value };
  }

  /**
   * `?keys[&separator=]`: key names under `prefix`; with a separator, keys below the next
   * separator collapse into one `prefix…sep` entry (a "directory").
   */
  keys(prefix: string, separator = '', ws?: WatchSet): QueryResult<string[]> {
    const t = this.source();
    if (ws && this.watches) this.watches.watchPrefix(ws, prefix);
    const value: string[] = [];
    for (const [key] of scanPrefix(t.kv.entries, prefix)) {
      const cut = separator ? key.indexOf(separator, prefix.length) : -1;
      const name = cut >= 0 ? key.slice(0, cut + separator.length) : key;
      if (value[value.length - 1] !== name) value.push(name);
    }
    return { index: this.prefixIndex(prefix), value };
  }

  private prefixIndex(prefix: string): number {
    const t = this.source();
    return t.kv.maxIndexUnder(prefix) || t.indexes.max(TABLE.kvs, TABLE.tombstones);
  }
}
