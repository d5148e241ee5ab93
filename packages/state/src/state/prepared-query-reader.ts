import type { PreparedQuery } from '@proconsul/kernel';
import { TABLE } from './index-table.js';
import { Reader, type QueryResult } from './query-result.js';
import type { WatchSet } from './watch-set.js';

/** `/v1/query` reads. */
export class PreparedQueryReader extends Reader {
  get(id: string, ws?: WatchSet): QueryResult<PreparedQuery | null> {
    const t = this.source();
    this.watchTables(ws, TABLE.preparedQueries);
    return { index: t.indexes.max(TABLE.preparedQueries), value: t.preparedQueries.get(id) ?? null };
  }

  list(ws?: WatchSet): QueryResult<PreparedQuery[]> {
    const t = this.source();
    this.watchTables(ws, TABLE.preparedQueries);
    return { index: t.indexes.max(TABLE.preparedQueries), value: t.preparedQueries.list() };
  }

  /**
   * What executing `idOrName` runs (Consul's order): the query with that ID, else the one
   * with that exact name, else the template whose name is the longest prefix of it.
   */
  resolve(idOrName: string): QueryResult<PreparedQuery | null> {
    const t = this.source();
    const q = t.preparedQueries.get(idOrName) ?? t.preparedQueries.byExactName(idOrName) ?? t.preparedQueries.template(idOrName);
    return { index: t.indexes.max(TABLE.preparedQueries), value: q ?? null };
  }
}
