import type { CheckStatus } from '@proconsul/model';

/**
 * What the DNS frontend needs from the catalog, and nothing more. The kernel binds an
 * implementation over the state store under {@link DnsDataSource}; tests use an in-memory fake.
 *
 * Concurrency: the DNS server calls these methods concurrently (one call per in-flight
 * query, no serialisation), so implementations must be safe for parallel reads.
 * Blocking: the async methods may wait for a read on a server (stale or consistent, see
 * {@link DnsReadOptions}); the server bounds each query with its own timeout and answers
 * SERVFAIL when a call rejects or takes too long, so implementations need no timeout.
 * Ownership: returned objects are only read, never mutated or kept after the answer is
 * built, so an implementation may hand out its own (frozen) records without copying.
 * Matching: names and tags must be compared case-insensitively, as Consul's catalog
 * indexes do; the server passes them lower-cased (DNS names are case-insensitive).
 */
export const DnsDataSource = Symbol.for('proconsul.DnsDataSource');

/** Read consistency requested by dns_config; passed through untouched. */
export interface DnsReadOptions {
  /** dns_config.allow_stale: any server may answer from its local state. */
  readonly allowStale: boolean;
  /** dns_config.max_stale: beyond this lag a stale answer must be re-read on the leader. */
  readonly maxStaleMs: number;
}

export interface DnsNode {
  readonly Node: string;
  /** An IPv4/IPv6 literal, or a hostname (then DNS answers with a CNAME). */
  readonly Address: string;
  /** e.g. lan, wan, lan_ipv4, lan_ipv6; used to find an address of the asked family. */
  readonly TaggedAddresses?: Readonly<Record<string, string>>;
  /** Node meta, published as TXT records (RFC 1464 "key=value"; "rfc1035-" keys raw). */
  readonly Meta?: Readonly<Record<string, string>>;
}

export interface DnsService {
  readonly ID: string;
  readonly Service: string;
  /** Empty when the service uses its node's address. */
  readonly Address: string;
  readonly Port: number;
  readonly Tags: readonly string[];
  readonly TaggedAddresses?: Readonly<Record<string, { readonly Address: string; readonly Port: number }>>;
  /** SRV weights by health; Consul's default is { Passing: 1, Warning: 1 }. */
  readonly Weights?: { readonly Passing: number; readonly Warning: number };
}

export interface DnsCheck {
  readonly Status: CheckStatus;
  /** "" for node-level checks, which count against every service on the node. */
  readonly ServiceID: string;
}

/** One row of Consul's /v1/health/service/:name: the instance, its node and all checks that apply. */
export interface DnsServiceInstance {
  readonly node: DnsNode;
  readonly service: DnsService;
  /** Node-level checks (ServiceID "") and this instance's own checks; unfiltered. */
  readonly checks: readonly DnsCheck[];
}

/** A prepared query's answer for DNS: instances already filtered, shuffled or sorted by the query. */
export interface DnsQueryAnswer {
  /** The service the query selected (for dns_config.service_ttl when the query sets no TTL). */
  readonly service: string;
  /** The query's DNS.TTL ("" when unset). */
  readonly ttl: string;
  readonly instances: readonly DnsServiceInstance[];
}

export interface DnsDataSource {
  /** The local datacenter's name. Never blocks. */
  datacenter(): string;
  /** Every datacenter this agent can route to, including the local one. Never blocks. */
  knownDatacenters(): readonly string[];
  /** The node registered under `name` in `dc`, or undefined. */
  node(name: string, dc: string, opts: DnsReadOptions): Promise<DnsNode | undefined>;
  /**
   * All instances of `service` in `dc` that carry every tag in `tags` (empty: no filter),
   * whatever their health: the DNS server filters by the checks itself (only_passing).
   */
  serviceInstances(service: string, dc: string, tags: readonly string[], opts: DnsReadOptions): Promise<DnsServiceInstance[]>;
  /**
   * Nodes in `dc` whose Address (or a tagged address) equals `ip`, for PTR lookups. `ip` is
   * canonical text (dotted quad; IPv6 RFC 5952 lower-case compressed); compare canonically.
   */
  nodesByAddress(ip: string, dc: string, opts: DnsReadOptions): Promise<DnsNode[]>;
  /** Service instances in `dc` whose own Service.Address equals `ip`, for PTR lookups. */
  serviceInstancesByAddress(ip: string, dc: string, opts: DnsReadOptions): Promise<DnsServiceInstance[]>;
  /**
   * Executes the prepared query `name` (an ID, a name, or a name a template matches) in `dc`
   * with the DNS token, failover included; undefined when no query matches. May block on a
   * server and, on failover, on other datacenters.
   */
  preparedQuery(name: string, dc: string, opts: DnsReadOptions): Promise<DnsQueryAnswer | undefined>;
}
