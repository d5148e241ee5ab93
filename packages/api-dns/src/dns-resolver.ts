import { lookupAddr } from './addr-lookup.js';
import type { DnsDataSource } from './dns-data-source.js';
import type { DnsOptions } from './dns-options.js';
import type { LookupContext } from './lookup-context.js';
import { lookupNode } from './node-lookup.js';
import { parseQueryName } from './query-name.js';
import { failure, FORWARD, noData, nxdomain, type LookupOutcome } from './resolution.js';
import { lookupReverse } from './reverse-lookup.js';
import { lookupService } from './service-lookup.js';
import { lookupPreparedQuery } from './prepared-query-lookup.js';
import { ServiceTtl } from './service-ttl.js';
import { lookupZone } from './zone-lookup.js';

/**
 * Turns one question into a {@link LookupOutcome}: which records (before size limits), or
 * that the question belongs to the recursors. Stateless between calls; may run
 * concurrently for different queries. Rejects only when the data source rejects.
 */
export class DnsResolver {
  private readonly serviceTtl: ServiceTtl;

  constructor(
    private readonly source: DnsDataSource,
    private readonly options: DnsOptions,
  ) {
    this.serviceTtl = new ServiceTtl(options.serviceTtlS, options.nodeTtlS);
  }

  /**
   * `qname` lower-case without the root dot; `qtype` as dns-packet names it; `maxUnits`
   * the most answer units the response can carry (Infinity: no bound known).
   */
  async resolve(qname: string, qtype: string, maxUnits = Infinity): Promise<LookupOutcome> {
    const { domain, altDomain, recursors } = this.options;
    const parsed = parseQueryName(qname, domain, altDomain);
    // Consul refuses names outside its domains when it has nowhere to send them.
    if (parsed.kind === 'outside') return recursors.length > 0 ? FORWARD : failure('REFUSED');
    const ctx: LookupContext = {
      source: this.source,
      options: this.options,
      serviceTtl: this.serviceTtl,
      read: { allowStale: this.options.allowStale, maxStaleMs: this.options.maxStaleMs },
      qname,
      qtype,
      localDc: this.source.datacenter(),
      maxUnits,
    };
    if (parsed.kind === 'ptr') return lookupReverse(ctx, parsed.ip);
    if (qtype === 'SOA' || qtype === 'NS') return lookupZone(ctx, parsed.domain);
    switch (parsed.kind) {
      case 'apex':
        return noData(parsed.domain);
      case 'invalid':
        return nxdomain(parsed.domain);
      case 'node':
        return lookupNode(ctx, parsed.domain, parsed.node, parsed.dc);
      case 'service':
        return lookupService(ctx, parsed.domain, parsed.service, parsed.tag, parsed.dc);
      case 'addr':
        return lookupAddr(ctx, parsed.domain, parsed.ip);
      case 'query':
        return lookupPreparedQuery(ctx, parsed.domain, parsed.query, parsed.dc);
    }
  }
}
