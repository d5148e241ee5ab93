/**
 * dns_config.service_ttl lookup, as Consul does it: an exact service name wins, then the
 * longest "prefix*" key, then "*"; a service matching none gets node_ttl.
 */
export class ServiceTtl {
  private readonly exact = new Map<string, number>();
  /** Longest prefix first, so the first match is the answer. */
  private readonly prefixes: (readonly [string, number])[] = [];

  constructor(
    serviceTtlS: Readonly<Record<string, number>>,
    private readonly nodeTtlS: number,
  ) {
    for (const [key, ttl] of Object.entries(serviceTtlS)) {
      const k = key.toLowerCase();
      if (k.endsWith('*')) this.prefixes.push([k.slice(0, -1), ttl]);
      else this.exact.set(k, ttl);
    }
    this.prefixes.sort((a, b) => b[0].length - a[0].length);
  }

  forService(service: string): number {
    const s = service.toLowerCase();
    const exact = this.exact.get(s);
    if (exact !== undefined) return exact;
    for (const [prefix, ttl] of this.prefixes) if (s.startsWith(prefix)) return ttl;
    return this.nodeTtlS;
  }
}
