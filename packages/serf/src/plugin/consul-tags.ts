import type { RuntimeConfig } from '@proconsul/kernel';

/** Reported in the `build` tag; clients and `members` show it. */
export const PROCONSUL_BUILD = '0.1.0';

/**
 * Serf tags as Consul sets them, so peers (and Consul tooling) can tell servers from
 * clients and find a server's RPC port: role=consul|node, dc, segment, id, vsn*, build,
 * and for servers port, raft_vsn, expect/bootstrap, wan_join_port.
 */
export function consulTags(c: RuntimeConfig, pool: 'lan' | 'wan'): Record<string, string> {
  const t: Record<string, string> = {
    role: c.server ? 'consul' : 'node',
    dc: c.datacenter,
    segment: '',
    id: c.nodeId,
    vsn: '2',
    vsn_min: '2',
    vsn_max: '3',
    build: PROCONSUL_BUILD,
  };
  if (!c.server) return t;
  t['port'] = String(c.ports.server);
  t['raft_vsn'] = '3';
  t['ft_fs'] = '1';
  t['ft_si'] = '1';
  if (c.bootstrap) t['bootstrap'] = '1';
  if (c.bootstrapExpect > 0) t['expect'] = String(c.bootstrapExpect);
  if (pool === 'lan' && c.ports.serfWan > 0) t['wan_join_port'] = String(c.ports.serfWan);
  return t;
}
