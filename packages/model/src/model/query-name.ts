/**
 * Every read a server answers for agents, by Consul's RPC endpoint name. The server's query
 * table must cover exactly these (`satisfies Record<QueryName, …>` there).
 */
export const QUERY_NAMES = [
  'Catalog.ListNodes',
  'Catalog.NodeServices',
  'Catalog.NodeServiceList',
  'Catalog.ListServices',
  'Catalog.ServiceNodes',
  'Health.NodeChecks',
  'Health.ServiceChecks',
  'Health.ChecksInState',
  'Health.ServiceNodes',
  'Internal.NodeDump',
  'Internal.ServiceDump',
  // Beyond Consul: KV and NodeDump in one read, for `/v1/stream?topic=all`.
  'Internal.StreamDump',
  'KVS.Get',
  'KVS.List',
  'KVS.ListKeys',
  'Session.Get',
  'Session.List',
  'Session.NodeSessions',
  'Coordinate.ListNodes',
  'Coordinate.Node',
  'System.Get',
  'ACL.ResolveSecret',
  'ACL.TokenRead',
  'ACL.TokenList',
  'ACL.PolicyRead',
  'ACL.PolicyByName',
  'ACL.PolicyList',
  'ACL.RoleRead',
  'ACL.RoleByName',
  'ACL.RoleList',
  'ACL.BootstrapIndex',
  'ConfigEntry.Get',
  'ConfigEntry.List',
  'PreparedQuery.Get',
  'PreparedQuery.List',
] as const;

export type QueryName = (typeof QUERY_NAMES)[number];
