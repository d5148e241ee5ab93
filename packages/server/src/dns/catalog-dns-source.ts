import { isIP } from 'node:net';
import { inject, injectable, optional } from 'inversify';
import {
  AgentTokens,
  Authorizer,
  DatacenterRouter,
  DEFAULT_QUERY,
  RuntimeConfig,
  isCoded,
  type Authorization,
  type CheckServiceNode,
  type DatacenterTarget,
  type DnsDataSource,
  type DnsNode,
  type DnsQueryAnswer,
  type PreparedQueryExecuteResponse,
  type DnsReadOptions,
  type DnsServiceInstance,
  type Node,
  type QueryOptions,
  type RpcCaller,
} from '@proconsul/kernel';
import { ClusterRpc } from '../server/cluster-rpc.js';
import { EXECUTE_QUERY } from '../prepared-query/prepared-query-handlers.js';

/**
 * DNS reads over the same RPC path as HTTP: stale by default (dns_config.allow_stale) so
 * any server answers, re-asking the leader when this one is further behind than max_stale.
 * Another datacenter's names (`web.service.dc2.consul`) are read from a server of that
 * datacenter through the same `?dc=` routing as HTTP. Answers are filtered
 * by what the agent's default token (or the anonymous token) may read, as in Consul: with
 * ACLs on and default deny, DNS shows only what that token is granted.
 */
@injectable()
export class CatalogDnsSource implements DnsDataSource {
  constructor(
    @inject(RuntimeConfig) private readonly config: RuntimeConfig,
    @inject(ClusterRpc) private readonly rpc: ClusterRpc,
    @inject(Authorizer) private readonly authorizer: Authorizer,
    @inject(AgentTokens) @optional() private readonly tokens?: AgentTokens,
    @inject(DatacenterRouter) @optional() private readonly router?: DatacenterRouter,
  ) {}

  /** DNS requests carry no token: Consul's `acl.tokens.dns`, else the default token, applies. */
  private authz(): Promise<Authorization> {
    return this.authorizer.resolve(this.tokens?.get('dns'));
  }

  private caller(): RpcCaller {
    return { token: this.tokens?.get('dns') };
  }

  datacenter(): string {
    return this.config.datacenter;
  }

  knownDatacenters(): readonly string[] {
    const local = this.config.datacenter;
    return [local, ...(this.router?.datacenters() ?? []).filter((d) => d !== local.toLowerCase())];
  }

  /** Whether `dc` is a datacenter this agent can route to (the local one always). */
  private known(dc: string): boolean {
    return this.knownDatacenters().some((d) => d.toLowerCase() === dc.toLowerCase());
  }

  async node(name: string, dc: string, opts: DnsReadOptions): Promise<DnsNode | undefined> {
    if (!this.known(dc)) return undefined;
    return (await this.nodes(opts, dc)).find((n) => n.Node.toLowerCase() === name.toLowerCase());
  }

  async serviceInstances(
    service: string,
    dc: string,
    tags: readonly string[],
    opts: DnsReadOptions,
  ): Promise<DnsServiceInstance[]> {
    if (!this.known(dc)) return [];
    const name = await this.serviceName(service, opts, dc);
    if (!name) return [];
    const authz = await this.authz();
    if (!authz.allowed('service', name, 'read')) return [];
    const r = await this.rpc.read<CheckServiceNode[]>(
      'Health.ServiceNodes',
      { service: name, tags: [...tags] },
      this.query(opts, dc),
      this.caller(),
    );
    return r.value.filter((e) => authz.allowed('node', e.Node.Node, 'read')).map(toInstance);
  }

  async nodesByAddress(ip: string, dc: string, opts: DnsReadOptions): Promise<DnsNode[]> {
    if (!this.known(dc)) return [];
    return (await this.nodes(opts, dc)).filter(
      (n) => sameIp(n.Address, ip) || Object.values(n.TaggedAddresses ?? {}).some((a) => sameIp(a, ip)),
    );
  }

  async serviceInstancesByAddress(ip: string, dc: string, opts: DnsReadOptions): Promise<DnsServiceInstance[]> {
    if (!this.known(dc)) return [];
    const services = await this.rpc.read<Record<string, string[]>>(
      'Catalog.ListServices',
      {},
      this.query(opts, dc),
      this.caller(),
    );
    const out: DnsServiceInstance[] = [];
    for (const name of Object.keys(services.value)) {
      for (const inst of await this.serviceInstances(name, dc, [], opts)) if (sameIp(inst.service.Address, ip)) out.push(inst);
    }
    return out;
  }

  /** Runs on a server of `dc` with the DNS token; the query's own Token, when captured, takes over there. */
  async preparedQuery(name: string, dc: string, _opts: DnsReadOptions): Promise<DnsQueryAnswer | undefined> {
    if (!this.known(dc)) return undefined;
    const remote = dc.toLowerCase() !== this.config.datacenter.toLowerCase();
    let r: PreparedQueryExecuteResponse;
    try {
      r = (await this.rpc.serverCall(
        EXECUTE_QUERY,
        { query: name, agent: this.config.nodeName },
        this.caller(),
        remote ? { datacenter: dc } : undefined,
      )) as PreparedQueryExecuteResponse;
    } catch (err) {
      if (isCoded(err, 'PREPARED_QUERY_NOT_FOUND')) return undefined;
      throw err;
    }
    return { service: r.Service, ttl: r.DNS.TTL, instances: r.Nodes.map(toInstance) };
  }

  private async nodes(opts: DnsReadOptions, dc: string): Promise<Node[]> {
    const authz = await this.authz();
    return (await this.rpc.read<Node[]>('Catalog.ListNodes', {}, this.query(opts, dc), this.caller())).value.filter((n) =>
      authz.allowed('node', n.Node, 'read'),
    );
  }

  /** Service names are case-insensitive in DNS; find the catalog's spelling. */
  private async serviceName(service: string, opts: DnsReadOptions, dc: string): Promise<string | undefined> {
    const r = await this.rpc.read<Record<string, string[]>>('Catalog.ListServices', {}, this.query(opts, dc), this.caller());
    if (Object.hasOwn(r.value, service)) return service;
    return Object.keys(r.value).find((n) => n.toLowerCase() === service);
  }

  private query(opts: DnsReadOptions, dc: string): QueryOptions & DatacenterTarget {
    const remote = dc.toLowerCase() !== this.config.datacenter.toLowerCase();
    return { ...DEFAULT_QUERY, allowStale: opts.allowStale, maxStaleMs: opts.maxStaleMs, ...(remote && { datacenter: dc }) };
  }
}

function toInstance(e: CheckServiceNode): DnsServiceInstance {
  return {
    node: e.Node,
    service: e.Service,
    checks: e.Checks.map((c) => ({ Status: c.Status, ServiceID: c.ServiceID })),
  };
}

function sameIp(a: string | undefined, b: string): boolean {
  if (!a || !isIP(a)) return false;
  return normalise(a) === normalise(b);
}

function normalise(ip: string): string {
  if (isIP(ip) === 4) return ip;
  // Expand and re-compress through URL parsing, which canonicalises IPv6 text.
  return new URL(`http://[${ip}]/`).hostname.slice(1, -1).toLowerCase();
}
