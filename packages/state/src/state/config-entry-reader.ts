import type { ConfigEntry } from '@proconsul/kernel';
import { TABLE } from './index-table.js';
import { Reader, type QueryResult } from './query-result.js';
import type { WatchSet } from './watch-set.js';

/** `/v1/config` reads. */
export class ConfigEntryReader extends Reader {
  get(kind: string, name: string, ws?: WatchSet): QueryResult<ConfigEntry | null> {
    const t = this.source();
    this.watchTables(ws, TABLE.configEntries);
    return { index: t.indexes.max(TABLE.configEntries), value: t.configEntries.get(kind, name) ?? null };
  }

  list(kind: string, ws?: WatchSet): QueryResult<ConfigEntry[]> {
    const t = this.source();
    this.watchTables(ws, TABLE.configEntries);
    return { index: t.indexes.max(TABLE.configEntries), value: t.configEntries.list(kind) };
  }
}
