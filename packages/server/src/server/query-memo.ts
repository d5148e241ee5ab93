import type { QueryResult } from '@proconsul/state';

const MAX_ENTRIES = 1024; // distinct queries remembered per store version; plenty for herds on a few services

/**
 * Shares one read among the many blocking queries an apply wakes at once: 5,000 clients
 * watching `health/service/web` all re-run the same query against the same store version,
 * so it is computed once. Entries live only while the store's index is unchanged, so a
 * result is never served for a version it was not read from.
 */
export class QueryMemo {
  private version = -1;
  private readonly entries = new Map<string, QueryResult<unknown>>();

  get<T>(key: string, version: number): QueryResult<T> | undefined {
    if (version !== this.version) return undefined;
    return this.entries.get(key) as QueryResult<T> | undefined;
  }

  set(key: string, version: number, result: QueryResult<unknown>): void {
    if (version !== this.version) {
      this.entries.clear();
      this.version = version;
    }
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, result);
  }
}
