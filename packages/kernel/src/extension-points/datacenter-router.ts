/**
 * The datacenters this agent can reach, as servers learn them from the WAN gossip pool
 * (clients ask a server). Bound by @proconsul/server; `/v1/catalog/datacenters`, DNS and
 * prepared-query failover read it. Synchronous and cheap: it reads a table the WAN pool's
 * events keep current, so callers may use it per request.
 */
export const DatacenterRouter = Symbol.for('proconsul.DatacenterRouter');

export interface DatacenterRouter {
  /** This agent's datacenter. */
  readonly local: string;
  /**
   * Every known datacenter, the local one included: nearest first by estimated round-trip
   * time when WAN coordinates are known, then by name (Consul's order for
   * `/v1/catalog/datacenters`).
   */
  datacenters(): readonly string[];
  /** Whether `dc` has at least one server this agent believes alive. */
  reachable(dc: string): boolean;
}
