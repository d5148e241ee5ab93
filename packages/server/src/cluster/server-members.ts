import type { Member, ServerAddress } from '@proconsul/kernel';

/** A LAN member that is a server of `dc`, as Consul's tags describe it (role=consul, port, id). */
export function asServer(m: Member, dc: string): (ServerAddress & { expect: number }) | undefined {
  if (m.tags['role'] !== 'consul' || (m.tags['dc'] ?? dc) !== dc) return undefined;
  const port = Number(m.tags['port'] ?? 8300);
  return { id: m.tags['id'] ?? m.name, node: m.name, address: `${m.addr}:${port}`, expect: Number(m.tags['expect'] ?? 0) };
}
