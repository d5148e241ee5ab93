import type { CatalogCounts, CatalogStats } from '@proconsul/kernel';
import type { StateStore } from './state-store.js';

/** {@link CatalogStats} over the state store's catalog tables. */
export class StoreCatalogStats implements CatalogStats {
  constructor(private readonly store: StateStore) {}

  counts(): CatalogCounts {
    const nodes = this.store.catalog.nodes().value;
    const services = this.store.catalog.services().value;
    let serviceInstances = 0;
    for (const n of nodes) serviceInstances += this.store.catalog.nodeServices(n.Node).value?.Services.length ?? 0;
    return { nodes: nodes.length, services: Object.keys(services).length, serviceInstances };
  }
}
