import type * as dnsPacket from 'dns-packet';
import { isIP } from 'node:net';

export type Rr = dnsPacket.Answer;

/** A for IPv4, AAAA for IPv6; undefined when `ip` is not an IP literal. */
export function addressRecord(name: string, ip: string, ttl: number): Rr | undefined {
  const family = isIP(ip);
  if (family === 4) return { type: 'A', class: 'IN', name, ttl, data: ip };
  if (family === 6) return { type: 'AAAA', class: 'IN', name, ttl, data: ip };
  return undefined;
}

export function cnameRecord(name: string, target: string, ttl: number): Rr {
  return { type: 'CNAME', class: 'IN', name, ttl, data: target.replace(/\.$/, '') };
}

export function srvRecord(name: string, target: string, port: number, weight: number, ttl: number): Rr {
  return { type: 'SRV', class: 'IN', name, ttl, data: { priority: 1, weight, port, target } };
}

export function ptrRecord(name: string, target: string, ttl: number): Rr {
  return { type: 'PTR', class: 'IN', name, ttl, data: target };
}

export function nsRecord(domain: string, target: string, ttl: number): Rr {
  return { type: 'NS', class: 'IN', name: domain, ttl, data: target };
}

// Consul's dns_config.soa defaults (refresh 1h, retry 10m, expire 24h, min_ttl 0).
const SOA_REFRESH_S = 3600;
const SOA_RETRY_S = 600;
const SOA_EXPIRE_S = 86400;
const SOA_MIN_TTL_S = 0;

/** The zone's SOA; its TTL equals min_ttl so negative answers are not cached longer. */
export function soaRecord(domain: string, now = Date.now()): Rr {
  return {
    type: 'SOA',
    class: 'IN',
    name: domain,
    ttl: SOA_MIN_TTL_S,
    data: {
      mname: `ns.${domain}`,
      rname: `hostmaster.${domain}`,
      serial: Math.floor(now / 1000) >>> 0,
      refresh: SOA_REFRESH_S,
      retry: SOA_RETRY_S,
      expire: SOA_EXPIRE_S,
      minimum: SOA_MIN_TTL_S,
    },
  };
}

/** One TXT per meta entry, as Consul publishes node meta (keys sorted for stable output). */
export function metaTxtRecords(name: string, meta: Readonly<Record<string, string>> | undefined, ttl: number): Rr[] {
  if (!meta) return [];
  return Object.keys(meta)
    .sort()
    .map((key) => {
      const value = meta[key]!;
      const text = key.toLowerCase().startsWith('rfc1035-') ? value : rfc1464(key, value);
      return { type: 'TXT', class: 'IN', name, ttl, data: splitTxt(text) } satisfies Rr;
    });
}

/** RFC 1464 "key=value": backquote ` and = in the key, and its leading/trailing spaces. */
export function rfc1464(key: string, value: string): string {
  let k = key.replace(/`/g, '``').replace(/=/g, '`=');
  k = k.replace(/^ +/, (m) => '` '.repeat(m.length)).replace(/ +$/, (m) => '` '.repeat(m.length));
  return `${k}=${value.replace(/`/g, '``')}`;
}

/** A TXT character-string holds at most 255 bytes; longer text becomes several strings. */
function splitTxt(text: string): Buffer[] {
  const bytes = Buffer.from(text);
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 255) out.push(bytes.subarray(i, i + 255));
  return out.length > 0 ? out : [Buffer.alloc(0)];
}
