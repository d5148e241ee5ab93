import { isIP } from 'node:net';
import { inject, injectable, optional } from 'inversify';
import {
  AgentTokens,
  Authorizer,
  DEFAULT_QUERY,
  RuntimeConfig,
  type Authorization,
  type CheckServiceNode,
  type DnsDataSource,
  type DnsNode,
  type DnsReadOptions,
  type DnsServiceInstance,
  type Node,
  type QueryOptions,
  type RpcCaller,
} from '@proconsul/kernel';
import { ClusterRpc } from '../server/cluster-rpc.js';

/**
 * DNS reads over the same RPC path as HTTP: stale by default (dns_config.allow_stale) so
 * any server answers, re-asking the leader when this one is further behind than max_stale.
 * Only the local datacenter is known until multi-datacenter exists. Answers are filtered
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
    return [this.config.datacenter];
  }

  async node(name: string, dc: string, opts: DnsReadOptions): Promise<DnsNode | undefined> {
    if (dc !== this.config.datacenter) return undefined;
    return (await this.nodes(opts)).find((n) => n.Node.toLowerCase() === name.toLowerCase());
  }

  async serviceInstances(
    service: string,
    dc: string,
    tags: readonly string[],
    opts: DnsReadOptions,
  ): Promise<DnsServiceInstance[]> {
    if (dc !== this.config.datacenter) return [];
    const name = await this.serviceName(service, opts);
    if (!name) return [];
    const authz = await this.authz();
    if (!authz.allowed('service', name, 'read')) return [];
    const r = await this.rpc.read<CheckServiceNode[]>(
      'Health.ServiceNodes',
      { service: name, tags: [...tags] },
      this.query(opts),
      this.caller(),
    );
    return r.value.filter((e) => authz.allowed('node', e.Node.Node, 'read')).map(toInstance);
  }

  async nodesByAddress(ip: string, dc: string, opts: DnsReadOptions): Promise<DnsNode[]> {
    if (dc !== this.config.datacenter) return [];
    return (await this.nodes(opts)).filter(
      (n) => sameIp(n.Address, ip) || Object.values(n.TaggedAddresses ?? {}).some((a) => sameIp(a, ip)),
    );
  }

  async serviceInstancesByAddress(ip: string, dc: string, opts: DnsReadOptions): Promise<DnsServiceInstance[]> {
    if (dc !== this.config.datacenter) return [];
    const services = await this.rpc.read<Record<string, string[]>>('Catalog.ListServices', {}, this.query(opts), this.caller());
    const out: DnsServiceInstance[] = [];
    for (const name of Object.keys(services.value)) {
      for (const inst of await this.serviceInstances(name, dc, [], opts)) if (sameIp(inst.service.Address, ip)) out.push(inst);
    }
    return out;
  }

  private async nodes(opts: DnsReadOptions): Promise<Node[]> {
    const authz = await this.authz();
    return (await this.rpc.read<Node[]>('Catalog.ListNodes', {}, this.query(opts), this.caller())).value.filter((n) =>
      authz.allowed('node', n.Node, 'read'),
    );
  }

  /** Service names are case-insensitive in DNS; find the catalog's spelling. */
  private async serviceName(service: string, opts: DnsReadOptions): Promise<string | undefined> {
    const r = await this.rpc.read<Record<string, string[]>>('Catalog.ListServices', {}, this.query(opts), this.caller());
    if (Object.hasOwn(r.value, service)) return service;
    return Object.keys(r.value).find((n) => n.toLowerCase() === service);
  }

  private query(opts: DnsReadOptions): QueryOptions {
    return { ...DEFAULT_QUERY, allowStale: opts.allowStale, maxStaleMs: opts.maxStaleMs };
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
