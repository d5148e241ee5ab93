import type { Member } from '@proconsul/kernel';

/** A server of some datacenter as the WAN pool shows it (member `node.dc`, tags role=consul, dc, port). */
export interface WanServer {
  readonly dc: string;
  readonly node: string;
  /** host:port of its server port (8300). */
  readonly address: string;
  readonly alive: boolean;
}

/**
 * A WAN member read as Consul's servers read it: only `role=consul` members count, the
 * datacenter comes from the `dc` tag (else the name's suffix), the RPC port from `port`.
 * Datacenter names compare in lower case, as Consul's do.
 */
export function asWanServer(m: Member): WanServer | undefined {
  if (m.tags['role'] !== 'consul') return undefined;
  const dot = m.name.lastIndexOf('.');
  const dc = (m.tags['dc'] ?? (dot > 0 ? m.name.slice(dot + 1) : '')).toLowerCase();
  if (!dc) return undefined;
  const node = dot > 0 ? m.name.slice(0, dot) : m.name;
  const port = Number(m.tags['port'] ?? 8300);
  const host = m.addr.includes(':') ? `[${m.addr}]` : m.addr;
  return { dc, node, address: `${host}:${port}`, alive: m.status === 'alive' };
}
