import { ConfigEntryReader } from './config-entry-reader.js';
import { PreparedQueryReader } from './prepared-query-reader.js';
import { AclReader } from './acl-reader.js';
import { CatalogReader } from './catalog-reader.js';
import { HealthReader } from './health-reader.js';
import { KvReader } from './kv-reader.js';
import { CoordinateReader, SystemReader } from './misc-readers.js';
import type { TablesSource } from './query-result.js';
import { SessionReader } from './session-reader.js';
import type { StateTables } from './state-tables.js';
import type { WatchRegistry } from './watch-registry.js';

/** The read API over one source of tables: the live store, or a frozen version. */
export class StateReaders {
  readonly catalog: CatalogReader;
  readonly health: HealthReader;
  readonly kv: KvReader;
  readonly sessions: SessionReader;
  readonly acl: AclReader;
  readonly coordinates: CoordinateReader;
  readonly system: SystemReader;
  readonly configEntries: ConfigEntryReader;
  readonly preparedQueries: PreparedQueryReader;

  constructor(source: TablesSource, watches?: WatchRegistry) {
    this.catalog = new CatalogReader(source, watches);
    this.health = new HealthReader(source, watches);
    this.kv = new KvReader(source, watches);
    this.sessions = new SessionReader(source, watches);
    this.acl = new AclReader(source, watches);
    this.coordinates = new CoordinateReader(source, watches);
    this.system = new SystemReader(source, watches);
    this.configEntries = new ConfigEntryReader(source, watches);
    this.preparedQueries = new PreparedQueryReader(source, watches);
  }
}

/**
 * A frozen, consistent version of the whole store at `index` (O(1) to take). Applies
 * to the store after it was taken are invisible here. Used for FSM snapshots and for
 * multi-call reads that must agree with each other.
 */
export class StateView extends StateReaders {
  constructor(
    readonly tables: StateTables,
    /** Last raft index applied in this version. */
    readonly index: number,
  ) {
    super(() => tables);
  }
}
