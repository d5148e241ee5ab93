import type { Node, NodeService, ServiceNode } from '@proconsul/kernel';
import { SERVICE_EXTINCTION, serviceIndexName, TABLE } from './index-table.js';
import { Reader, type QueryResult } from './query-result.js';
import type { StateTables } from './state-tables.js';
import { SEP } from './table-keys.js';
import type { WatchSet } from './watch-set.js';

/** Consul filters tags case-insensitively, and every requested tag must be present. */
export function hasTags(svc: NodeService, tags: readonly string[] | undefined): boolean {
  if (!tags?.length) return true;
  const have = new Set(svc.Tags.map((t) => t.toLowerCase()));
  return tags.every((t) => have.has(t.toLowerCase()));
}

/** Index of everything about service `name`: its own index, or the last extinction when it has no instance. */
export function serviceIndex(t: StateTables, name: string): number {
  return Math.max(1, t.indexes.get(serviceIndexName(name)) || t.indexes.get(SERVICE_EXTINCTION));
}

function toServiceNode(node: Node, svc: NodeService): ServiceNode {
  return {
    ID: node.ID,
    Node: node.Node,
    Address: node.Address,
    Datacenter: node.Datacenter,
    TaggedAddresses: node.TaggedAddresses,
    NodeMeta: node.Meta,
    ServiceKind: svc.Kind ?? '',
    ServiceID: svc.ID,
    ServiceName: svc.Service,
    ServiceTags: svc.Tags,
    ServiceAddress: svc.Address,
    ServiceTaggedAddresses: svc.TaggedAddresses,
    ServiceWeights: svc.Weights,
    ServiceMeta: svc.Meta,
    ServicePort: svc.Port,
    ServiceEnableTagOverride: svc.EnableTagOverride,
    CreateIndex: svc.CreateIndex,
    ModifyIndex: svc.ModifyIndex,
  };
}

/** `/v1/catalog/*` reads. */
export class CatalogReader extends Reader {
  nodes(ws?: WatchSet): QueryResult<Node[]> {
    const t = this.source();
    this.watchTables(ws, TABLE.nodes);
    return { index: t.indexes.max(TABLE.nodes), value: [...t.catalog.nodes.values()] };
  }

  /** `/v1/catalog/node/:n`: the node and its services by ID; null when unknown. */
  node(name: string, ws?: WatchSet): QueryResult<{ Node: Node; Services: Record<string, NodeService> } | null> {
    const r = this.nodeServices(name, ws);
    if (!r.value) return { index: r.index, value: null };
    return {
      index: r.index,
      value: { Node: r.value.Node, Services: Object.fromEntries(r.value.Services.map((s) => [s.ID, s])) },
    };
  }

  /** `/v1/catalog/node-services/:n`. */
  nodeServices(name: string, ws?: WatchSet): QueryResult<{ Node: Node; Services: NodeService[] } | null> {
    const t = this.source();
    this.watchTables(ws, TABLE.nodes, TABLE.services);
    const index = t.indexes.max(TABLE.nodes, TABLE.services);
    const node = t.catalog.nodes.get(name);
    if (!node) return { index, value: null };
    return { index, value: { Node: node, Services: [...t.catalog.servicesOfNode(name)] } };
  }

  /** `/v1/catalog/services`: name -> union of tags (sorted). */
  services(ws?: WatchSet): QueryResult<Record<string, string[]>> {
    const t = this.source();
    this.watchTables(ws, TABLE.services);
    const byName = new Map<string, Set<string>>();
    for (const [k, key] of t.catalog.servicesByName.entries()) {
      const name = k.slice(0, k.indexOf(SEP));
      let tags = byName.get(name);
      if (!tags) byName.set(name, (tags = new Set()));
      for (const tag of t.catalog.services.get(key)?.Tags ?? []) tags.add(tag);
    }
    const value: Record<string, string[]> = {};
    for (const [name, tags] of byName) value[name] = [...tags].sort();
    return { index: t.indexes.max(TABLE.services), value };
  }

  /** `/v1/catalog/service/:s`: instances flattened with their nodes; `tag` filters (all must match). */
  /** `id` keeps only instances with that service ID (the duplicate-ID check after a registration). */
  serviceNodes(name: string, opts: { tag?: string[]; id?: string } = {}, ws?: WatchSet): QueryResult<ServiceNode[]> {
    const t = this.source();
    if (ws && this.watches) this.watches.watchService(ws, name);
    const value: ServiceNode[] = [];
    const instances = opts.id === undefined ? t.catalog.instancesOf(name) : t.catalog.instancesWithId(name, opts.id);
    for (const [nodeName, svc] of instances) {
      const node = t.catalog.nodes.get(nodeName);
      if (node && hasTags(svc, opts.tag)) value.push(toServiceNode(node, svc));
    }
    return { index: serviceIndex(t, name), value };
  }
}
