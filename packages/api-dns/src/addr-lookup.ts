import { isIP } from 'node:net';
import { addressRecord } from './dns-records.js';
import { wantsFamily, type LookupContext } from './lookup-context.js';
import { answered, nxdomain, type Resolution } from './resolution.js';

/**
 * `<hex>.addr[.<dc>].<domain>`, the SRV targets of services with their own address: the
 * address is in the name, so no catalog read. The datacenter label is ignored, as in Consul.
 */
export function lookupAddr(ctx: LookupContext, domain: string, ip: string | undefined): Resolution {
  if (ip === undefined) return nxdomain(domain);
  const family = isIP(ip) as 4 | 6;
  if (!wantsFamily(ctx.qtype, family)) return answered([], domain);
  const rr = addressRecord(ctx.qname, ip, ctx.options.nodeTtlS)!;
  return answered([{ answers: [rr], extras: [] }], domain);
}
