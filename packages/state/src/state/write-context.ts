import { ChangeSet } from './change-set.js';
import { SERVICE_EXTINCTION, serviceIndexName } from './index-table.js';
import type { StateTables } from './state-tables.js';

/**
 * The state of one apply: which table version it writes, at which raft index, and what
 * it touched (for watchers). Writers call `bump*` for every table they change so that
 * indexes and wake-ups can never disagree.
 */
export class WriteContext {
  readonly changes = new ChangeSet();

  constructor(
    readonly t: StateTables,
    readonly index: number,
  ) {}

  bump(table: string): void {
    this.t.indexes.set(table, this.index);
    this.changes.tables.add(table);
  }

  bumpService(name: string): void {
    this.t.indexes.set(serviceIndexName(name), this.index);
    this.changes.services.add(name);
  }

  /** After an instance of `name` went away: drop its index when it was the last one (Consul's extinction index). */
  serviceRemoved(name: string): void {
    if (this.t.catalog.hasInstances(name)) {
      this.bumpService(name);
      return;
    }
    this.t.indexes.delete(serviceIndexName(name));
    this.t.indexes.set(SERVICE_EXTINCTION, this.index);
    this.changes.services.add(name);
  }

  /** Node-level data changed: every service on the node reads it (health joins node checks). */
  bumpServicesOfNode(node: string): void {
    for (const svc of this.t.catalog.servicesOfNode(node)) this.bumpService(svc.Service);
  }

  kvTouched(key: string): void {
    this.changes.kvKeys.add(key);
  }
}
