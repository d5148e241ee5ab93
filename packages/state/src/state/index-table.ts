import { compareStrings, SortedMap } from '@proconsul/collections';

/** Names of the per-table indexes (Consul's "index" table rows). */
export const TABLE = {
  nodes: 'nodes',
  services: 'services',
  checks: 'checks',
  kvs: 'kvs',
  tombstones: 'tombstones',
  sessions: 'sessions',
  aclTokens: 'acl-tokens',
  aclPolicies: 'acl-policies',
  aclRoles: 'acl-roles',
  coordinates: 'coordinates',
  system: 'system',
  configEntries: 'config-entries',
  preparedQueries: 'prepared-queries',
} as const;

/** Set when the last instance of some service name goes away; the index of "no such service" reads. */
export const SERVICE_EXTINCTION = 'service-extinction';

export function serviceIndexName(service: string): string {
  return `service.${service}`;
}

/** Last raft index that changed each table / service name. */
export class IndexTable {
  constructor(readonly map = new SortedMap<string, number>(compareStrings)) {}

  clone(): IndexTable {
    return new IndexTable(this.map.clone());
  }

  get(name: string): number {
    return this.map.get(name) ?? 0;
  }

  set(name: string, index: number): void {
    this.map.set(name, index);
  }

  delete(name: string): void {
    this.map.delete(name);
  }

  /** Max over names, at least 1: Consul clients treat index 0 as "no blocking". */
  max(...names: string[]): number {
    let m = 1;
    for (const n of names) m = Math.max(m, this.get(n));
    return m;
  }
}
