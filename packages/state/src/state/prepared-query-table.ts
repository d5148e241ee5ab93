import { compareStrings, SortedMap } from '@proconsul/collections';
import type { PreparedQuery } from '@proconsul/kernel';

/** Consul's name index is case-insensitive: "Web" and "web" are one name. */
export const queryNameKey = (name: string) => name.toLowerCase();

/** Prepared queries by ID, with the by-name index (templates included); `clone()` is O(1). */
export class PreparedQueryTable {
  constructor(
    readonly queries = new SortedMap<string, PreparedQuery>(compareStrings),
    /** lower-cased name -> ID, for every query with a name and for the template with the empty name ('') */
    readonly byName = new SortedMap<string, string>(compareStrings),
  ) {}

  clone(): PreparedQueryTable {
    return new PreparedQueryTable(this.queries.clone(), this.byName.clone());
  }

  get size(): number {
    return this.queries.size;
  }

  get(id: string): PreparedQuery | undefined {
    return this.queries.get(id);
  }

  byExactName(name: string): PreparedQuery | undefined {
    const id = this.byName.get(queryNameKey(name));
    return id === undefined ? undefined : this.queries.get(id);
  }

  list(): PreparedQuery[] {
    return [...this.queries.values()];
  }

  /** Every query bound to `session`. */
  ofSession(session: string): PreparedQuery[] {
    return this.list().filter((q) => q.Session === session);
  }

  /**
   * The template whose name is the longest prefix of `name` (Consul's name_prefix_match);
   * the empty-named template matches everything. Scans the templates: there are few.
   */
  template(name: string): PreparedQuery | undefined {
    const lower = queryNameKey(name);
    let best: PreparedQuery | undefined;
    for (const q of this.queries.values()) {
      if (!q.Template.Type || !lower.startsWith(queryNameKey(q.Name))) continue;
      if (!best || q.Name.length > best.Name.length) best = q;
    }
    return best;
  }

  put(q: PreparedQuery): void {
    this.delete(q.ID);
    this.queries.set(q.ID, q);
    if (q.Name || q.Template.Type) this.byName.set(queryNameKey(q.Name), q.ID);
  }

  delete(id: string): PreparedQuery | undefined {
    const prev = this.queries.get(id);
    if (!prev) return undefined;
    this.queries.delete(id);
    const key = queryNameKey(prev.Name);
    if (this.byName.get(key) === id) this.byName.delete(key);
    return prev;
  }
}
