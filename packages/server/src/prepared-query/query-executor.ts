import {
  type CheckServiceNode,
  type Coordinate,
  type DatacenterRouter,
  type Logger,
  type PreparedQuery,
  type PreparedQueryExecuteResponse,
  type RpcCaller,
} from '@proconsul/kernel';
import { filterInstances, shuffle, sortByDistance } from './query-filter.js';
import { renderQuery } from './query-render.js';
import { QueryNotFound } from './prepared-query-errors.js';

/** `PreparedQuery.Execute`'s arguments, as the HTTP and DNS frontends send them. */
export interface ExecuteArgs {
  /** A query ID, a query name, or a name a template matches. */
  readonly query: string;
  /** The requesting agent's node name (what `_agent` means). */
  readonly agent?: string;
  /** The requesting agent's segment, for `${agent.segment}`. */
  readonly segment?: string;
  /** `?near=`: overrides the query's own Near. */
  readonly near?: string;
  /** `?limit=`: at most this many instances (0: all). */
  readonly limit?: number;
}

/** `PreparedQuery.ExecuteRemote`'s arguments: a query already rendered by the datacenter that failed over. */
export interface ExecuteRemoteArgs {
  readonly query: PreparedQuery;
  readonly limit?: number;
}

/**
 * What execution needs from the server it runs on. `instances` returns the service's
 * instances as `caller` may see them (service:read and node:read filtering) and may block
 * on a local state read; `remote` runs the query in another datacenter over WAN routing and
 * may block on the network (bounded by the RPC layer's timeouts).
 */
export interface ExecutorDeps {
  readonly datacenter: string;
  resolve(idOrName: string): PreparedQuery | null;
  instances(service: string, caller: RpcCaller): Promise<CheckServiceNode[]>;
  coordinates(): readonly Coordinate[];
  readonly router: DatacenterRouter | undefined;
  remote(dc: string, args: ExecuteRemoteArgs, caller: RpcCaller): Promise<PreparedQueryExecuteResponse>;
  readonly log: Logger;
  readonly random?: () => number;
}

/** Executions read with the query's captured token when it has one (Consul), else the caller's. */
export function executingCaller(q: PreparedQuery, caller: RpcCaller): RpcCaller {
  return q.Token ? { token: q.Token, remote: true } : caller;
}

/** Runs prepared queries on a server: resolution, rendering, filtering, Near, limit and failover. */
export class QueryExecutor {
  constructor(private readonly d: ExecutorDeps) {}

  /** The query `idOrName` stands for, rendered for that name. Throws QueryNotFound. */
  lookup(idOrName: string, segment = ''): PreparedQuery {
    const q = this.d.resolve(idOrName);
    if (!q) throw QueryNotFound();
    return renderQuery(q, { name: idOrName, segment });
  }

  async execute(args: ExecuteArgs, caller: RpcCaller): Promise<PreparedQueryExecuteResponse> {
    const q = this.lookup(args.query, args.segment ?? '');
    const as = executingCaller(q, caller);
    let near = args.near || q.Service.Near;
    if (near === '_agent') near = args.agent ?? '';
    const local = await this.runHere(q, as, near, args.limit ?? 0);
    if (local.Nodes.length > 0) return local;
    return this.failover(q, as, args.limit ?? 0, local);
  }

  /** A query another datacenter failed over to this one: no Near (its node is not here), no further failover. */
  executeRemote(args: ExecuteRemoteArgs, caller: RpcCaller): Promise<PreparedQueryExecuteResponse> {
    return this.runHere(args.query, caller, '', args.limit ?? 0);
  }

  private async runHere(q: PreparedQuery, as: RpcCaller, near: string, limit: number): Promise<PreparedQueryExecuteResponse> {
    const all = await this.d.instances(q.Service.Service, as);
    let nodes = shuffle(filterInstances(all, q.Service), this.d.random);
    if (near) nodes = sortByDistance(nodes, near, this.d.coordinates());
    if (limit > 0) nodes = nodes.slice(0, limit);
    return { Service: q.Service.Service, Nodes: nodes, DNS: { TTL: q.DNS.TTL }, Datacenter: this.d.datacenter, Failovers: 0 };
  }

  /**
   * Consul's failover order: the NearestN nearest other datacenters (the router sorts by
   * RTT), then the listed ones in order, each once, unknown ones skipped. The first with
   * instances answers; a datacenter that fails is logged and passed over.
   */
  private async failover(
    q: PreparedQuery,
    as: RpcCaller,
    limit: number,
    local: PreparedQueryExecuteResponse,
  ): Promise<PreparedQueryExecuteResponse> {
    const router = this.d.router;
    const { NearestN, Datacenters } = q.Service.Failover;
    if (!router || (NearestN <= 0 && Datacenters.length === 0)) return local;
    const known = router.datacenters().filter((dc) => dc !== this.d.datacenter);
    const order: string[] = known.slice(0, NearestN);
    for (const dc of Datacenters) {
      if (dc === this.d.datacenter || order.includes(dc)) continue;
      if (!known.includes(dc)) {
        this.d.log.debug('prepared query failover skips an unknown datacenter', { datacenter: dc });
        continue;
      }
      order.push(dc);
    }
    const { Token: _captured, ...rest } = q;
    const remoteQuery: PreparedQuery = { ...rest, Token: '' };
    let failovers = 0;
    for (const dc of order) {
      failovers++;
      try {
        const r = await this.d.remote(dc, { query: remoteQuery, limit }, as);
        if (r.Nodes.length > 0) return { ...r, Failovers: failovers };
      } catch (err) {
        this.d.log.warn('prepared query failover to a datacenter failed', { datacenter: dc, error: err });
      }
    }
    return { ...local, Failovers: failovers };
  }
}
