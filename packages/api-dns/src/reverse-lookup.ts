import { ptrRecord, type Rr } from './dns-records.js';
import { isServable } from './health-filter.js';
import type { LookupContext } from './lookup-context.js';
import { answered, FORWARD, nxdomain, type LookupOutcome } from './resolution.js';

/**
 * PTR for `in-addr.arpa`/`ip6.arpa`: nodes of the local datacenter with that address
 * first, then services registered with it as their own address (Consul's order).
 * Addresses we do not know go to the recursors when there are any.
 */
export async function lookupReverse(ctx: LookupContext, ip: string | undefined): Promise<LookupOutcome> {
  const { domain, recursors } = ctx.options;
  const unknown = () => (recursors.length > 0 ? FORWARD : nxdomain(domain));
  if (ip === undefined) return unknown();
  const dc = ctx.localDc;
  const ttl = ctx.options.nodeTtlS;
  const targets: string[] = [];
  const nodes = await ctx.source.nodesByAddress(ip, dc, ctx.read);
  for (const n of nodes) targets.push(`${n.Node}.node.${dc}.${domain}`);
  if (targets.length === 0) {
    const instances = await ctx.source.serviceInstancesByAddress(ip, dc, ctx.read);
    for (const i of instances) {
      if (!isServable(i, ctx.options.onlyPassing)) continue;
      targets.push(`${i.service.Service}.service.${dc}.${domain}`);
    }
  }
  if (targets.length === 0) return unknown();
  if (ctx.qtype !== 'PTR' && ctx.qtype !== 'ANY') return answered([], domain);
  const answers: Rr[] = [...new Set(targets)].map((t) => ptrRecord(ctx.qname, t, ttl));
  return answered([{ answers, extras: [] }], domain);
}
