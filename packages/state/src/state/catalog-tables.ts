import type { HealthCheck, Node, NodeService } from '@proconsul/kernel';
import { compareStrings, SortedMap } from '@proconsul/collections';
import { key2, key3, scanPrefix, SEP } from './table-keys.js';

/**
 * Nodes, services and checks with their secondary indexes. Low-level: keeps indexes in
 * step with the primary rows, nothing else (no index bumps, no validation).
 * Rows are immutable objects; a write stores a new object.
 */
export class CatalogTables {
  constructor(
    readonly nodes = new SortedMap<string, Node>(compareStrings),
    /** node\0serviceID */
    readonly services = new SortedMap<string, NodeService>(compareStrings),
    /** serviceName\0node\0serviceID -> services key */
    readonly servicesByName = new SortedMap<string, string>(compareStrings),
    /** node\0checkID */
    readonly checks = new SortedMap<string, HealthCheck>(compareStrings),
    /** serviceName\0node\0checkID -> checks key */
    readonly checksByService = new SortedMap<string, string>(compareStrings),
    /** status\0node\0checkID -> checks key */
    readonly checksByStatus = new SortedMap<string, string>(compareStrings),
  ) {}

  clone(): CatalogTables {
    return new CatalogTables(
      this.nodes.clone(),
      this.services.clone(),
      this.servicesByName.clone(),
      this.checks.clone(),
      this.checksByService.clone(),
      this.checksByStatus.clone(),
    );
  }

  putNode(node: Node): void {
    this.nodes.set(node.Node, node);
  }

  removeNode(name: string): void {
    this.nodes.delete(name);
  }

  getService(node: string, id: string): NodeService | undefined {
    return this.services.get(key2(node, id));
  }

  putService(node: string, svc: NodeService): void {
    const key = key2(node, svc.ID);
    const old = this.services.get(key);
    if (old && old.Service !== svc.Service) this.servicesByName.delete(key3(old.Service, node, old.ID));
    this.services.set(key, svc);
    this.servicesByName.set(key3(svc.Service, node, svc.ID), key);
  }

  removeService(node: string, id: string): NodeService | undefined {
    const key = key2(node, id);
    const old = this.services.get(key);
    if (!old) return undefined;
    this.services.delete(key);
    this.servicesByName.delete(key3(old.Service, node, id));
    return old;
  }

  *servicesOfNode(node: string): Generator<NodeService> {
    for (const [, svc] of scanPrefix(this.services, node + SEP)) yield svc;
  }

  /** [node name, service] for every instance of `name`. */
  *instancesOf(name: string): Generator<[string, NodeService]> {
    for (const [k, key] of scanPrefix(this.servicesByName, name + SEP)) {
      const svc = this.services.get(key);
      if (svc) yield [k.slice(name.length + 1, k.lastIndexOf(SEP)), svc];
    }
  }

  /**
   * [node name, service] for the instances of `name` with service ID `id`: the index keys
   * end with the ID, so a row is fetched only on a match (cheap per instance, where
   * `instancesOf` fetches every row).
   */
  *instancesWithId(name: string, id: string): Generator<[string, NodeService]> {
    const tail = SEP + id;
    for (const [k, key] of scanPrefix(this.servicesByName, name + SEP)) {
      if (!k.endsWith(tail) || k.length - tail.length <= name.length) continue;
      const svc = this.services.get(key);
      if (svc && svc.ID === id) yield [k.slice(name.length + 1, k.length - tail.length), svc];
    }
  }

  hasInstances(name: string): boolean {
    for (const _ of scanPrefix(this.servicesByName, name + SEP)) return true;
    return false;
  }

  getCheck(node: string, id: string): HealthCheck | undefined {
    return this.checks.get(key2(node, id));
  }

  putCheck(check: HealthCheck): void {
    const key = key2(check.Node, check.CheckID);
    this.unindexCheck(this.checks.get(key));
    this.checks.set(key, check);
    if (check.ServiceName) this.checksByService.set(key3(check.ServiceName, check.Node, check.CheckID), key);
    this.checksByStatus.set(key3(check.Status, check.Node, check.CheckID), key);
  }

  removeCheck(node: string, id: string): HealthCheck | undefined {
    const key = key2(node, id);
    const old = this.checks.get(key);
    if (!old) return undefined;
    this.unindexCheck(old);
    this.checks.delete(key);
    return old;
  }

  *checksOfNode(node: string): Generator<HealthCheck> {
    for (const [, c] of scanPrefix(this.checks, node + SEP)) yield c;
  }

  *checksOfService(name: string): Generator<HealthCheck> {
    for (const [, key] of scanPrefix(this.checksByService, name + SEP)) {
      const c = this.checks.get(key);
      if (c) yield c;
    }
  }

  *checksInStatus(status: string): Generator<HealthCheck> {
    for (const [, key] of scanPrefix(this.checksByStatus, status + SEP)) {
      const c = this.checks.get(key);
      if (c) yield c;
    }
  }

  private unindexCheck(old: HealthCheck | undefined): void {
    if (!old) return;
    if (old.ServiceName) this.checksByService.delete(key3(old.ServiceName, old.Node, old.CheckID));
    this.checksByStatus.delete(key3(old.Status, old.Node, old.CheckID));
  }
}
