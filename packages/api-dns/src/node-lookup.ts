import { isHostname, pickAddress } from './address-choice.js';
import { addressRecord, cnameRecord, metaTxtRecords, type Rr } from './dns-records.js';
import { resolveDc, type LookupContext } from './lookup-context.js';
import { answered, nxdomain, type Resolution } from './resolution.js';

/** `<node>.node[.<dc>].<domain>`: A/AAAA (or CNAME) from the node address, TXT from node meta. */
export async function lookupNode(
  ctx: LookupContext,
  domain: string,
  nodeName: string,
  dcLabel: string | undefined,
): Promise<Resolution> {
  const dc = resolveDc(ctx, dcLabel);
  if (dc === undefined) return nxdomain(domain);
  const node = await ctx.source.node(nodeName, dc, ctx.read);
  if (!node) return nxdomain(domain);
  const ttl = ctx.options.nodeTtlS;
  const answers: Rr[] = [];
  const { qtype, qname } = ctx;
  if (qtype === 'A' || qtype === 'AAAA' || qtype === 'ANY') {
    const address = pickAddress(node.Address, node.TaggedAddresses, qtype);
    if (address !== undefined) {
      const rr = isHostname(address) ? cnameRecord(qname, address, ttl) : addressRecord(qname, address, ttl);
      if (rr) answers.push(rr);
    }
  }
  if (qtype === 'TXT' || qtype === 'ANY') answers.push(...metaTxtRecords(qname, node.Meta, ttl));
  return answered(answers.length > 0 ? [{ answers, extras: [] }] : [], domain);
}
