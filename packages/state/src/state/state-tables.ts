import { compareStrings, SortedMap } from '@proconsul/collections';
import { AclTables } from './acl-tables.js';
import { CatalogTables } from './catalog-tables.js';
import { CoordinateTable } from './coordinate-table.js';
import { IndexTable } from './index-table.js';
import { KvTable } from './kv-table.js';
import { SessionTable } from './session-table.js';
import { RequestTable } from './request-table.js';
import { ConfigEntryTable } from './config-entry-table.js';
import { PreparedQueryTable } from './prepared-query-table.js';

/**
 * One version of the whole database. `clone()` is O(1) (every SortedMap clones in O(1)
 * and copies on write), which gives consistent read views, FSM snapshots while applies
 * continue, and transaction rollback.
 */
export class StateTables {
  constructor(
    readonly catalog = new CatalogTables(),
    readonly kv = new KvTable(),
    readonly sessions = new SessionTable(),
    readonly acl = new AclTables(),
    readonly coordinates = new CoordinateTable(),
    /** System metadata (feature flags, ACL bootstrap marker, …): key -> any msgpack value. */
    readonly system = new SortedMap<string, unknown>(compareStrings),
    readonly indexes = new IndexTable(),
    /** Forwarded requests already applied, so a resent one is not applied twice. */
    readonly requests = new RequestTable(),
    /** `/v1/config` entries. */
    readonly configEntries = new ConfigEntryTable(),
    /** `/v1/query` prepared queries. */
    readonly preparedQueries = new PreparedQueryTable(),
  ) {}

  clone(): StateTables {
    return new StateTables(
      this.catalog.clone(),
      this.kv.clone(),
      this.sessions.clone(),
      this.acl.clone(),
      this.coordinates.clone(),
      this.system.clone(),
      this.indexes.clone(),
      this.requests.clone(),
      this.configEntries.clone(),
      this.preparedQueries.clone(),
    );
  }
}
