import { ipFromAddrLabel, ipFromReverseName } from './ip-names.js';

/**
 * What a question name asks for, before any catalog read. `dc` undefined means the local
 * datacenter; `domain` is the served domain the name matched (answers use it back).
 */
export type QueryName =
  | { readonly kind: 'outside' }
  | { readonly kind: 'ptr'; readonly ip: string | undefined }
  | { readonly kind: 'apex'; readonly domain: string }
  | { readonly kind: 'invalid'; readonly domain: string }
  | { readonly kind: 'node'; readonly domain: string; readonly dc?: string; readonly node: string }
  | {
      readonly kind: 'service';
      readonly domain: string;
      readonly dc?: string;
      readonly service: string;
      readonly tag?: string;
    }
  | { readonly kind: 'addr'; readonly domain: string; readonly ip: string | undefined }
  | { readonly kind: 'query'; readonly domain: string; readonly dc?: string; readonly query: string };

const TYPE_LABELS = new Set(['service', 'node', 'addr', 'query', 'connect', 'ingress', 'virtual']);

/**
 * Parses a lower-cased name without the root dot. The longer of domain/altDomain is tried
 * first so that an alt domain nested in the primary one still matches.
 */
export function parseQueryName(name: string, domain: string, altDomain: string): QueryName {
  if (name === 'in-addr.arpa' || name.endsWith('.in-addr.arpa') || name === 'ip6.arpa' || name.endsWith('.ip6.arpa')) {
    return { kind: 'ptr', ip: ipFromReverseName(name) };
  }
  const domains = [domain, altDomain].filter((d) => d !== '').sort((a, b) => b.length - a.length);
  for (const d of domains) {
    if (name === d) return { kind: 'apex', domain: d };
    if (name.endsWith('.' + d)) return parseLabels(name.slice(0, -(d.length + 1)).split('.'), d);
  }
  return { kind: 'outside' };
}

function parseLabels(labels: string[], domain: string): QueryName {
  const invalid: QueryName = { kind: 'invalid', domain };
  if (labels.some((l) => l === '')) return invalid;
  let at = -1;
  for (let i = labels.length - 1; i >= 0; i--) {
    if (TYPE_LABELS.has(labels[i]!)) {
      at = i;
      break;
    }
  }
  if (at < 0) return parseBareRfc2782(labels, domain);
  const parts = labels.slice(0, at);
  const dc = parseDcSuffix(labels.slice(at + 1));
  if (dc === null || parts.length === 0) return invalid;
  switch (labels[at]) {
    case 'node':
      return { kind: 'node', domain, dc, node: parts.join('.') };
    case 'addr':
      return parts.length === 1 ? { kind: 'addr', domain, ip: ipFromAddrLabel(parts[0]!) } : invalid;
    case 'service':
      return parseService(parts, domain, dc);
    case 'query':
      return { kind: 'query', domain, dc, query: parts.join('.') };
    default:
      // Mesh and enterprise forms are not served.
      return invalid;
  }
}

function parseService(parts: string[], domain: string, dc: string | undefined): QueryName {
  if (parts.length === 2 && parts[0]!.startsWith('_') && parts[1]!.startsWith('_')) {
    return rfc2782(parts[0]!, parts[1]!, domain, dc);
  }
  const service = parts[parts.length - 1]!;
  if (parts.length === 1) return { kind: 'service', domain, dc, service };
  return { kind: 'service', domain, dc, service, tag: parts.slice(0, -1).join('.') };
}

/** `_<service>._<tag|tcp>[.<dc>]` without the `.service` label. */
function parseBareRfc2782(labels: string[], domain: string): QueryName {
  if ((labels.length === 2 || labels.length === 3) && labels[0]!.startsWith('_') && labels[1]!.startsWith('_')) {
    return rfc2782(labels[0]!, labels[1]!, domain, labels[2]);
  }
  return { kind: 'invalid', domain };
}

function rfc2782(serviceLabel: string, tagLabel: string, domain: string, dc: string | undefined): QueryName {
  const service = serviceLabel.slice(1);
  const tag = tagLabel.slice(1);
  if (service === '' || tag === '') return { kind: 'invalid', domain };
  // "_tcp" names the protocol, not a tag: RFC 2782 clients always send it.
  return tag === 'tcp' ? { kind: 'service', domain, dc, service } : { kind: 'service', domain, dc, service, tag };
}

/** [] → local, [dc] → dc, [dc, "dc"] → dc; anything else (peers, partitions) → null. */
function parseDcSuffix(suffix: string[]): string | undefined | null {
  if (suffix.length === 0) return undefined;
  if (suffix.length === 1) return suffix[0];
  if (suffix.length === 2 && suffix[1] === 'dc') return suffix[0];
  return null;
}
