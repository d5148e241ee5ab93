import { isIP } from 'node:net';

/**
 * The address to publish for a question type. An A question wants IPv4: the Address when it
 * is IPv4, else the "lan_ipv4" tagged address (Consul's dual-stack convention); AAAA likewise
 * with IPv6. A hostname Address is returned as is (the caller answers with a CNAME).
 * Other types take the Address unchanged. Undefined: nothing of the wanted family.
 */
export function pickAddress(
  address: string,
  tagged: Readonly<Record<string, string>> | undefined,
  qtype: string,
): string | undefined {
  if (address === '') return undefined;
  const family = qtype === 'A' ? 4 : qtype === 'AAAA' ? 6 : 0;
  if (family === 0) return address;
  const kind = isIP(address);
  if (kind === 0 || kind === family) return address;
  const alt = tagged?.[family === 4 ? 'lan_ipv4' : 'lan_ipv6'];
  return alt !== undefined && isIP(alt) === family ? alt : undefined;
}

export function isHostname(address: string): boolean {
  return address !== '' && isIP(address) === 0;
}

/** Service tagged addresses carry ports; address choice only needs the hosts. */
export function serviceTaggedHosts(
  tagged: Readonly<Record<string, { readonly Address: string }>> | undefined,
): Record<string, string> | undefined {
  if (!tagged) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tagged)) out[k] = v.Address;
  return out;
}
