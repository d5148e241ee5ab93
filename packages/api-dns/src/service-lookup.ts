import { isIP } from 'node:net';
import { isHostname, pickAddress, serviceTaggedHosts } from './address-choice.js';
import type { DnsServiceInstance } from './dns-data-source.js';
import { addressRecord, cnameRecord, metaTxtRecords, srvRecord, type Rr } from './dns-records.js';
import { isServable, srvWeight } from './health-filter.js';
import { addrLabelFor } from './ip-names.js';
import { resolveDc, type LookupContext } from './lookup-context.js';
import { answered, nxdomain, type AnswerUnit, type Resolution } from './resolution.js';
import { shuffle } from './shuffle.js';

/**
 * `[<tag>.]<service>.service[.<dc>].<domain>` and the RFC 2782 forms: healthy instances
 * only, shuffled per query. Unknown service or no healthy instance → NXDOMAIN.
 */
export async function lookupService(
  ctx: LookupContext,
  domain: string,
  service: string,
  tag: string | undefined,
  dcLabel: string | undefined,
): Promise<Resolution> {
  const dc = resolveDc(ctx, dcLabel);
  if (dc === undefined) return nxdomain(domain);
  const all = await ctx.source.serviceInstances(service, dc, tag === undefined ? [] : [tag], ctx.read);
  const healthy = all.filter((i) => isServable(i, ctx.options.onlyPassing));
  if (healthy.length === 0) return nxdomain(domain);
  shuffle(healthy, ctx.options.random);
  return answerInstances(ctx, domain, healthy, ctx.serviceTtl.forService(service), dc);
}

/** The records for `instances`, in their order, within the response's limits (shared with prepared queries). */
export function answerInstances(
  ctx: LookupContext,
  domain: string,
  instances: readonly DnsServiceInstance[],
  ttl: number,
  dc: string,
): Resolution {
  const build = ctx.qtype === 'SRV' ? srvUnit : ctx.qtype === 'TXT' ? txtUnit : addressUnit;
  const units: AnswerUnit[] = [];
  const seen = new Set<string>();
  let addressUnits = 0;
  let more = false;
  for (const instance of instances) {
    if (addressUnits >= ctx.maxUnits) {
      more = true;
      break;
    }
    const unit = build(ctx, instance, ttl, dc, domain);
    if (!unit) continue;
    // Two instances on one address/port give one record, as Consul de-duplicates.
    const key = unit.answers.map(answerKey).join('\n');
    if (seen.has(key)) continue;
    seen.add(key);
    units.push(unit);
    if (unit.answers[0]?.type !== 'CNAME') addressUnits++;
  }
  return answered(limitAddressUnits(ctx, units), domain, more);
}

/** a_record_limit counts A/AAAA answers; a CNAME is only used when no address answered. */
function limitAddressUnits(ctx: LookupContext, units: AnswerUnit[]): AnswerUnit[] {
  if (ctx.qtype === 'SRV' || ctx.qtype === 'TXT') return units;
  const addresses = units.filter((u) => u.answers[0]?.type !== 'CNAME');
  if (addresses.length === 0) return units.slice(0, 1);
  const limit = ctx.options.aRecordLimit;
  return limit > 0 ? addresses.slice(0, limit) : addresses;
}

function addressUnit(ctx: LookupContext, i: DnsServiceInstance, ttl: number): AnswerUnit | undefined {
  if (ctx.qtype !== 'A' && ctx.qtype !== 'AAAA' && ctx.qtype !== 'ANY') return undefined;
  const own = pickAddress(i.service.Address, serviceTaggedHosts(i.service.TaggedAddresses), ctx.qtype);
  const address = i.service.Address !== '' ? own : pickAddress(i.node.Address, i.node.TaggedAddresses, ctx.qtype);
  if (address === undefined) return undefined;
  const rr = isHostname(address) ? cnameRecord(ctx.qname, address, ttl) : addressRecord(ctx.qname, address, ttl);
  return rr && { answers: [rr], extras: [] };
}

/**
 * SRV target: the node name when the service uses the node address, `<hex>.addr.<dc>` when
 * it has its own IP, the hostname itself when it has its own hostname. The target's
 * A/AAAA goes to the additional section.
 */
function srvUnit(ctx: LookupContext, i: DnsServiceInstance, ttl: number, dc: string, domain: string): AnswerUnit {
  const weight = srvWeight(i);
  const svcAddress = i.service.Address;
  const srv = (target: string) => srvRecord(ctx.qname, target, i.service.Port, weight, ttl);
  if (svcAddress !== '' && svcAddress !== i.node.Address) {
    if (isIP(svcAddress) === 0) return { answers: [srv(svcAddress.replace(/\.$/, ''))], extras: [] };
    const target = `${addrLabelFor(svcAddress)}.addr.${dc}.${domain}`;
    return { answers: [srv(target)], extras: [addressRecord(target, svcAddress, ttl)!] };
  }
  const target = `${i.node.Node}.node.${dc}.${domain}`;
  const nodeAddress = i.node.Address;
  const extra = isHostname(nodeAddress) ? cnameRecord(target, nodeAddress, ttl) : addressRecord(target, nodeAddress, ttl);
  return { answers: [srv(target)], extras: extra ? [extra] : [] };
}

/** TXT on a service name: the meta of each healthy instance's node. */
function txtUnit(ctx: LookupContext, i: DnsServiceInstance, ttl: number): AnswerUnit | undefined {
  const answers: Rr[] = metaTxtRecords(ctx.qname, i.node.Meta, ttl);
  return answers.length > 0 ? { answers, extras: [] } : undefined;
}

/** Identity of an answer for de-duplication; cheaper than serialising the record. */
function answerKey(rr: Rr): string {
  switch (rr.type) {
    case 'SRV':
      return `SRV ${rr.data.port} ${rr.data.target}`;
    case 'TXT':
      return `TXT ${([rr.data] as unknown[]).flat().map(String).join('\u0000')}`;
    default:
      return `${rr.type} ${'data' in rr ? String(rr.data) : ''}`;
  }
}
