import type { CheckServiceNode, CheckStatus, HealthCheck } from '@proconsul/kernel';
import { TABLE } from './index-table.js';
import { hasTags, serviceIndex } from './catalog-reader.js';
import { Reader, type QueryResult } from './query-result.js';
import type { WatchSet } from './watch-set.js';

/** `/v1/health/*` reads. */
export class HealthReader extends Reader {
  /** `/v1/health/node/:n`. */
  nodeChecks(node: string, ws?: WatchSet): QueryResult<HealthCheck[]> {
    const t = this.source();
    this.watchTables(ws, TABLE.checks);
    return { index: t.indexes.max(TABLE.checks), value: [...t.catalog.checksOfNode(node)] };
  }

  /** `/v1/health/checks/:s`: checks of every instance of the service (service-level only, as Consul). */
  serviceChecks(name: string, ws?: WatchSet): QueryResult<HealthCheck[]> {
    const t = this.source();
    if (ws && this.watches) this.watches.watchService(ws, name);
    return { index: serviceIndex(t, name), value: [...t.catalog.checksOfService(name)] };
  }

  /** `/v1/health/state/:state`; 'any' returns every check. */
  checksInState(state: CheckStatus | 'any', ws?: WatchSet): QueryResult<HealthCheck[]> {
    const t = this.source();
    this.watchTables(ws, TABLE.checks);
    const value = state === 'any' ? [...t.catalog.checks.values()] : [...t.catalog.checksInStatus(state)];
    return { index: t.indexes.max(TABLE.checks), value };
  }

  /**
   * `/v1/health/service/:s`: each instance joined with its node and every check that
   * applies to it (its own and the node's). `passingOnly` drops instances with any
   * non-passing check (Consul's `?passing`); `tags` must all match.
   */
  serviceNodes(
    name: string,
    opts: { tags?: string[]; passingOnly?: boolean } = {},
    ws?: WatchSet,
  ): QueryResult<CheckServiceNode[]> {
    const t = this.source();
    if (ws && this.watches) this.watches.watchService(ws, name);
    const value: CheckServiceNode[] = [];
    const nodeChecks = new Map<string, HealthCheck[]>();
    for (const [nodeName, svc] of t.catalog.instancesOf(name)) {
      const node = t.catalog.nodes.get(nodeName);
      if (!node || !hasTags(svc, opts.tags)) continue;
      let all = nodeChecks.get(nodeName);
      if (!all) nodeChecks.set(nodeName, (all = [...t.catalog.checksOfNode(nodeName)]));
      const checks = all.filter((c) => c.ServiceID === '' || c.ServiceID === svc.ID);
      if (opts.passingOnly && checks.some((c) => c.Status !== 'passing')) continue;
      value.push({ Node: node, Service: svc, Checks: checks });
    }
    return { index: serviceIndex(t, name), value };
  }
}
