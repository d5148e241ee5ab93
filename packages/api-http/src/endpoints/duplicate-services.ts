import { DEFAULT_QUERY, type ClusterRpcPort, type Logger, type ServiceNode } from '@proconsul/kernel';

/** One service ID registered on more than one node, as last seen at a registration. */
export interface DuplicateService {
  readonly serviceId: string;
  readonly service: string;
  readonly nodes: readonly string[];
}

/**
 * Service IDs that more than one node registered (typically a load balancer spreading
 * registration calls over several agents). Consul keys instances by node + ID, so this is
 * not an error and the catalog keeps both; it is recorded to be reported, never to reject.
 * Bounded: only the most recent entries are kept.
 */
export class DuplicateServices {
  private readonly seen = new Map<string, DuplicateService>();

  constructor(private readonly limit = 1000) {}

  record(d: DuplicateService): void {
    this.seen.delete(d.serviceId);
    if (d.nodes.length < 2) return;
    this.seen.set(d.serviceId, d);
    while (this.seen.size > this.limit) this.seen.delete(this.seen.keys().next().value as string);
  }

  list(): DuplicateService[] {
    return [...this.seen.values()].sort((a, b) => (a.serviceId < b.serviceId ? -1 : 1));
  }
}

/**
 * After a registration of `serviceId` on `node`: which other nodes hold the same ID
 * (a stale read — any server answers, no leader round trip). Records the finding, logs it
 * and returns the Warning text, or undefined when the ID is unique. A failed read only
 * loses the report: the registration itself already succeeded.
 */
export async function checkDuplicate(
  rpc: ClusterRpcPort,
  registry: DuplicateServices,
  log: Logger,
  reg: { node: string; service: string; serviceId: string; token?: string; canSeeNode: (node: string) => boolean },
): Promise<string | undefined> {
  let instances: ServiceNode[];
  try {
    const r = await rpc.read<ServiceNode[]>(
      'Catalog.ServiceNodes',
      // Only this ID's instances: reading them all made each registration O(service size).
      { service: reg.service, serviceId: reg.serviceId },
      { ...DEFAULT_QUERY, allowStale: true },
      { token: reg.token },
    );
    instances = r.value;
  } catch {
    return undefined;
  }
  const holders = instances.filter((s) => s.ServiceID === reg.serviceId).map((s) => s.Node);
  const nodes = [...new Set([reg.node, ...holders])].sort();
  registry.record({ serviceId: reg.serviceId, service: reg.service, nodes });
  const others = nodes.filter((n) => n !== reg.node);
  if (others.length === 0) return undefined;
  log.warn('duplicate service ID registered on several nodes', {
    service: reg.service,
    service_id: reg.serviceId,
    nodes: nodes.join(','),
  });
  const visible = others.filter(reg.canSeeNode);
  const where = visible.length > 0 ? `node(s) ${visible.map((n) => `"${n}"`).join(', ')}` : 'another node';
  return `service ID "${reg.serviceId}" is also registered on ${where}: the catalog now holds several instances with this ID`;
}

/** What a registration endpoint calls after its write (see checkDuplicate). */
export type DuplicateCheck = (reg: {
  node: string;
  service: string;
  serviceId: string;
  token?: string;
  canSeeNode: (node: string) => boolean;
}) => Promise<string | undefined>;

/** The HTTP `Warning` header value, in the form the anti-entropy warning uses. */
export function warningHeader(text: string | undefined): Record<string, string> {
  return text ? { Warning: `299 - "${text}"` } : {};
}
