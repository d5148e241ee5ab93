import type { DnsDataSource, DnsReadOptions } from './dns-data-source.js';
import type { DnsOptions } from './dns-options.js';
import type { ServiceTtl } from './service-ttl.js';

/** Per-query inputs shared by the lookups; built by the resolver for one question. */
export interface LookupContext {
  readonly source: DnsDataSource;
  readonly options: DnsOptions;
  readonly serviceTtl: ServiceTtl;
  readonly read: DnsReadOptions;
  /** Question name, lower-case, without the root dot. */
  readonly qname: string;
  /** dns-packet's type name, e.g. "A", "SRV", "ANY", "UNKNOWN_65". */
  readonly qtype: string;
  readonly localDc: string;
  /**
   * No response can carry more answer units than this (size or answer-count limits), so
   * lookups may stop building there: it keeps a 1,000-instance UDP lookup from building
   * 1,000 records to send 3.
   */
  readonly maxUnits: number;
}

/** The datacenter a name asks for, or undefined when it is not one we know. */
export function resolveDc(ctx: LookupContext, dc: string | undefined): string | undefined {
  if (dc === undefined) return ctx.localDc;
  const known = ctx.source.knownDatacenters().find((d) => d.toLowerCase() === dc);
  return known ?? (dc === ctx.localDc.toLowerCase() ? ctx.localDc : undefined);
}

export function wantsFamily(qtype: string, family: 4 | 6): boolean {
  return qtype === (family === 4 ? 'A' : 'AAAA') || qtype === 'ANY';
}
