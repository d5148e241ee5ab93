import type { Session } from '@proconsul/kernel';
import { TABLE } from './index-table.js';
import { Reader, type QueryResult } from './query-result.js';
import type { WatchSet } from './watch-set.js';

/** `/v1/session/*` reads; all indexed by the sessions table. */
export class SessionReader extends Reader {
  get(id: string, ws?: WatchSet): QueryResult<Session | null> {
    const t = this.source();
    this.watchTables(ws, TABLE.sessions);
    return { index: t.indexes.max(TABLE.sessions), value: t.sessions.get(id) ?? null };
  }

  list(ws?: WatchSet): QueryResult<Session[]> {
    const t = this.source();
    this.watchTables(ws, TABLE.sessions);
    return { index: t.indexes.max(TABLE.sessions), value: [...t.sessions.sessions.values()] };
  }

  byNode(node: string, ws?: WatchSet): QueryResult<Session[]> {
    const t = this.source();
    this.watchTables(ws, TABLE.sessions);
    const value = t.sessions.idsOfNode(node).map((id) => t.sessions.get(id)!);
    return { index: t.indexes.max(TABLE.sessions), value };
  }
}
