import type {
  DnsCheck,
  DnsDataSource,
  DnsNode,
  DnsQueryAnswer,
  DnsReadOptions,
  DnsService,
  DnsServiceInstance,
} from '../dns-data-source.js';
import { canonicalIp } from '../ip-names.js';

interface StoredInstance {
  readonly dc: string;
  readonly nodeName: string;
  readonly service: DnsService;
  checks: DnsCheck[];
}

/**
 * In-memory catalog for tests and the benchmark. Matches names and tags case-insensitively,
 * as the real data source must. Records every read's options so tests can check them, and
 * can be told to fail or stall to exercise SERVFAIL paths.
 */
export class FakeDataSource implements DnsDataSource {
  readonly reads: { method: string; opts: DnsReadOptions }[] = [];
  failWith: Error | undefined;
  stallMs = 0;
  private readonly nodes = new Map<string, DnsNode & { dc: string; checks: DnsCheck[] }>();
  private readonly instances: StoredInstance[] = [];
  private readonly queries = new Map<string, { dc: string; service: string; ttl: string; nodes: string[] }>();

  constructor(
    private readonly localDc = 'dc1',
    private readonly dcs: readonly string[] = ['dc1'],
  ) {}

  addNode(node: DnsNode, dc = this.localDc, checks: DnsCheck[] = []): this {
    this.nodes.set(key(dc, node.Node), { ...node, dc, checks });
    return this;
  }

  /** Registers a service instance on an existing node; `Address` defaults to "". */
  addService(
    nodeName: string,
    service: Partial<DnsService> & { Service: string; Port: number },
    checks: DnsCheck['Status'][] = [],
    dc = this.localDc,
  ): this {
    const s: DnsService = { ID: service.ID ?? `${service.Service}-${this.instances.length}`, Address: '', Tags: [], ...service };
    this.instances.push({ dc, nodeName, service: s, checks: checks.map((Status) => ({ Status, ServiceID: s.ID })) });
    return this;
  }

  setNodeChecks(nodeName: string, statuses: DnsCheck['Status'][], dc = this.localDc): void {
    this.nodes.get(key(dc, nodeName))!.checks = statuses.map((Status) => ({ Status, ServiceID: '' }));
  }

  datacenter(): string {
    return this.localDc;
  }

  knownDatacenters(): readonly string[] {
    return this.dcs;
  }

  async node(name: string, dc: string, opts: DnsReadOptions): Promise<DnsNode | undefined> {
    await this.enter('node', opts);
    return this.nodes.get(key(dc, name));
  }

  async serviceInstances(
    service: string,
    dc: string,
    tags: readonly string[],
    opts: DnsReadOptions,
  ): Promise<DnsServiceInstance[]> {
    await this.enter('serviceInstances', opts);
    const want = tags.map((t) => t.toLowerCase());
    return this.instances
      .filter((i) => i.dc === dc && i.service.Service.toLowerCase() === service.toLowerCase())
      .filter((i) => want.every((t) => i.service.Tags.some((x) => x.toLowerCase() === t)))
      .map((i) => this.toInstance(i));
  }

  async nodesByAddress(ip: string, dc: string, opts: DnsReadOptions): Promise<DnsNode[]> {
    await this.enter('nodesByAddress', opts);
    return [...this.nodes.values()].filter(
      (n) => n.dc === dc && [n.Address, ...Object.values(n.TaggedAddresses ?? {})].some((a) => canonicalIp(a) === ip),
    );
  }

  async serviceInstancesByAddress(ip: string, dc: string, opts: DnsReadOptions): Promise<DnsServiceInstance[]> {
    await this.enter('serviceInstancesByAddress', opts);
    return this.instances.filter((i) => i.dc === dc && canonicalIp(i.service.Address) === ip).map((i) => this.toInstance(i));
  }

  /** A prepared query `name` in `dc` answering with the instances of `service` on `nodes`, in that order. */
  addQuery(name: string, service: string, nodes: string[], ttl = '', dc = this.localDc): this {
    this.queries.set(key(dc, name), { dc, service, ttl, nodes });
    return this;
  }

  async preparedQuery(name: string, dc: string, opts: DnsReadOptions): Promise<DnsQueryAnswer | undefined> {
    await this.enter('preparedQuery', opts);
    const q = this.queries.get(key(dc, name));
    if (!q) return undefined;
    const instances = q.nodes.map((n) => {
      const i = this.instances.find((x) => x.dc === q.dc && x.nodeName === n && x.service.Service === q.service);
      if (!i) throw new Error(`fake: no ${q.service} on ${n}`);
      return this.toInstance(i);
    });
    return { service: q.service, ttl: q.ttl, instances };
  }

  private toInstance(i: StoredInstance): DnsServiceInstance {
    const node = this.nodes.get(key(i.dc, i.nodeName));
    if (!node) throw new Error(`fake: service on unknown node ${i.nodeName}`);
    return { node, service: i.service, checks: [...node.checks, ...i.checks] };
  }

  private async enter(method: string, opts: DnsReadOptions): Promise<void> {
    this.reads.push({ method, opts });
    if (this.stallMs > 0) await new Promise((r) => setTimeout(r, this.stallMs));
    if (this.failWith) throw this.failWith;
  }
}

function key(dc: string, name: string): string {
  return `${dc}/${name.toLowerCase()}`;
}
