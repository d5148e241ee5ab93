import { parseDuration } from '@proconsul/kernel';
import { resolveDc, type LookupContext } from './lookup-context.js';
import { nxdomain, type Resolution } from './resolution.js';
import { answerInstances } from './service-lookup.js';

/**
 * `<query>.query[.<dc>].<domain>`: runs the prepared query (with its failover) and answers
 * with its instances in the query's order. The query's DNS TTL applies; without one the
 * service's dns_config.service_ttl, as Consul does. No query or no instance → NXDOMAIN.
 */
export async function lookupPreparedQuery(
  ctx: LookupContext,
  domain: string,
  query: string,
  dcLabel: string | undefined,
): Promise<Resolution> {
  const dc = resolveDc(ctx, dcLabel);
  if (dc === undefined) return nxdomain(domain);
  const r = await ctx.source.preparedQuery(query, dc, ctx.read);
  if (!r || r.instances.length === 0) return nxdomain(domain);
  const ttl = r.ttl ? Math.floor(parseDuration(r.ttl) / 1000) : ctx.serviceTtl.forService(r.service);
  return answerInstances(ctx, domain, r.instances, ttl, dc);
}
