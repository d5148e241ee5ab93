import { addressRecord, nsRecord, soaRecord, type Rr } from './dns-records.js';
import { isServable } from './health-filter.js';
import type { LookupContext } from './lookup-context.js';
import type { AnswerUnit, Resolution } from './resolution.js';
import { noData } from './resolution.js';
import { shuffle } from './shuffle.js';

// Consul names at most three servers as the zone's name servers.
const MAX_NAME_SERVERS = 3;
// Servers register the "consul" service; its healthy instances are the name servers.
const SERVER_SERVICE = 'consul';

/**
 * SOA and NS questions for any name in the domain are answered for the zone apex, as
 * Consul does: SOA in the answer with the servers as NS in authority, or the NS set.
 */
export async function lookupZone(ctx: LookupContext, domain: string): Promise<Resolution> {
  const dc = ctx.localDc;
  const ttl = ctx.serviceTtl.forService(SERVER_SERVICE);
  const servers = (await ctx.source.serviceInstances(SERVER_SERVICE, dc, [], ctx.read)).filter((i) =>
    isServable(i, ctx.options.onlyPassing),
  );
  shuffle(servers, ctx.options.random);
  const seen = new Set<string>();
  const units: AnswerUnit[] = [];
  for (const s of servers) {
    if (units.length >= MAX_NAME_SERVERS) break;
    const target = `${s.node.Node}.node.${dc}.${domain}`;
    if (seen.has(target)) continue;
    seen.add(target);
    const a = addressRecord(target, s.node.Address, ttl);
    units.push({ answers: [nsRecord(domain, target, ttl)], extras: a ? [a] : [] });
  }
  if (ctx.qtype === 'SOA') {
    const extras: Rr[] = units.flatMap((u) => u.extras);
    return {
      rcode: 'NOERROR',
      units: [{ answers: [soaRecord(domain)], extras: [] }],
      authorities: units.flatMap((u) => u.answers),
      additionals: extras,
    };
  }
  return units.length > 0 ? { rcode: 'NOERROR', units, authorities: [], additionals: [] } : noData(domain);
}
