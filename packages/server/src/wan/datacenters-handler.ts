import type { ServerHandler } from '../server/server-handler.js';
import type { WanRouter } from './wan-router.js';

/** The RPC behind `/v1/catalog/datacenters`, so a client agent (no WAN pool) can ask a server. */
export const LIST_DATACENTERS = 'Catalog.ListDatacenters';

/** Consul leaves the datacenter list unprotected by ACLs; any server answers from its WAN pool. */
export function datacentersHandler(router: () => WanRouter): ServerHandler {
  return {
    name: LIST_DATACENTERS,
    leaderOnly: false,
    access: null,
    handle: async () => [...router().datacenters()],
  };
}
