import type { HealthCheck, ServiceNode } from '@proconsul/kernel';
import { compileFilter, type QueryResult, type StateReaders, type WatchSet } from '@proconsul/state';

/** `?node-meta=k:v` pairs, all of which a node's Meta must carry (Consul's NodeMetaFilters). */
export type NodeMetaFilter = Readonly<Record<string, string>>;

export function nodeMetaMatches(meta: Readonly<Record<string, string>> | undefined, want: NodeMetaFilter): boolean {
  for (const [k, v] of Object.entries(want)) if (meta?.[k] !== v) return false;
  return true;
}

const hasPairs = (m: NodeMetaFilter | undefined): m is NodeMetaFilter => !!m && Object.keys(m).length > 0;

/**
 * `/v1/catalog/services` with `?node-meta=` or `?filter=`: Consul evaluates both against
 * each service instance (a ServiceNode) and lists the names and tags of the instances
 * left. Reads every instance, so only the filtered form pays for it; watches the
 * services table, each service and (with node-meta) the nodes table.
 */
export function listServices(
  r: StateReaders,
  a: { nodeMeta?: NodeMetaFilter; filter?: string } | undefined,
  ws?: WatchSet,
): QueryResult<Record<string, string[]>> {
  const all = r.catalog.services(ws);
  const meta = a?.nodeMeta;
  if (!hasPairs(meta) && !a?.filter) return all;
  const filter = a?.filter ? compileFilter(a.filter) : undefined;
  let index = all.index;
  if (hasPairs(meta)) index = Math.max(index, r.catalog.nodes(ws).index);
  let instances: ServiceNode[] = [];
  for (const name of Object.keys(all.value)) {
    const inst = r.catalog.serviceNodes(name, {}, ws);
    index = Math.max(index, inst.index);
    for (const s of inst.value) if (!hasPairs(meta) || nodeMetaMatches(s.NodeMeta, meta)) instances.push(s);
  }
  if (filter) instances = filter.apply(instances);
  const tags = new Map<string, Set<string>>();
  for (const s of instances) {
    let set = tags.get(s.ServiceName);
    if (!set) tags.set(s.ServiceName, (set = new Set()));
    for (const t of s.ServiceTags) set.add(t);
  }
  const value: Record<string, string[]> = {};
  for (const name of [...tags.keys()].sort()) value[name] = [...tags.get(name)!].sort();
  return { index, value };
}

/**
 * Checks kept to those on nodes whose Meta matches (`/v1/health/state/:s` and
 * `/v1/health/checks/:s` with `?node-meta=`; a check carries no node meta, so the nodes
 * table is read and watched too, as Consul does).
 */
export function checksOnMatchingNodes(
  r: StateReaders,
  checks: QueryResult<HealthCheck[]>,
  meta: NodeMetaFilter | undefined,
  ws?: WatchSet,
): QueryResult<HealthCheck[]> {
  if (!hasPairs(meta)) return checks;
  const nodes = r.catalog.nodes(ws);
  const ok = new Set(nodes.value.filter((n) => nodeMetaMatches(n.Meta, meta)).map((n) => n.Node));
  return { index: Math.max(checks.index, nodes.index), value: checks.value.filter((c) => ok.has(c.Node)) };
}
