import type { RuntimeConfig } from '@proconsul/kernel';
import { parseRecursor, type RecursorAddress } from './recursor-address.js';

/** Everything the query handler reads, resolved once from RuntimeConfig (plus test knobs). */
export interface DnsOptions {
  /** Primary domain without dots at either end, lower-case, e.g. "consul". */
  readonly domain: string;
  /** Alternate domain in the same form, or "" when unset. */
  readonly altDomain: string;
  readonly nodeTtlS: number;
  readonly serviceTtlS: Readonly<Record<string, number>>;
  readonly allowStale: boolean;
  readonly maxStaleMs: number;
  readonly onlyPassing: boolean;
  readonly udpAnswerLimit: number;
  /** 0 means no limit. */
  readonly aRecordLimit: number;
  readonly enableTruncate: boolean;
  readonly recursors: readonly RecursorAddress[];
  readonly recursorTimeoutMs: number;
  /** Upper bound for one query's catalog reads; beyond it the answer is SERVFAIL. */
  readonly lookupTimeoutMs: number;
  /** Source of randomness for answer shuffling; tests pass a seeded one. */
  readonly random: () => number;
}

export interface DnsTuning {
  readonly lookupTimeoutMs?: number;
  readonly recursorTimeoutMs?: number;
  readonly random?: () => number;
  /** Idle time after which a TCP connection without a pending query is closed. */
  readonly tcpIdleTimeoutMs?: number;
  readonly maxTcpConnections?: number;
}

/** Optional token for the tuning knobs above; unbound in production. */
export const DnsTuning = Symbol.for('proconsul.api-dns.DnsTuning');

// Consul's recursor_timeout default.
const DEFAULT_RECURSOR_TIMEOUT_MS = 2000;
// A catalog read that takes this long is stuck; clients retry after ~1-5 s anyway.
const DEFAULT_LOOKUP_TIMEOUT_MS = 2000;

export function normalizeDomain(domain: string): string {
  return domain
    .trim()
    .toLowerCase()
    .replace(/^\.+|\.+$/g, '');
}

export function dnsOptionsFrom(config: RuntimeConfig, tuning: DnsTuning = {}): DnsOptions {
  const dns = config.dnsConfig;
  // recursor_timeout is a known config key that RuntimeConfig.dnsConfig may not carry yet.
  const recursorTimeoutMs = (dns as { readonly recursorTimeoutMs?: number }).recursorTimeoutMs;
  const domain = normalizeDomain(config.domain || 'consul');
  const alt = normalizeDomain(config.altDomain ?? '');
  return {
    domain,
    altDomain: alt === domain ? '' : alt,
    nodeTtlS: dns.nodeTtlS,
    serviceTtlS: dns.serviceTtlS,
    allowStale: dns.allowStale,
    maxStaleMs: dns.maxStaleMs,
    onlyPassing: dns.onlyPassing,
    udpAnswerLimit: dns.udpAnswerLimit,
    aRecordLimit: Math.max(0, dns.aRecordLimit),
    enableTruncate: dns.enableTruncate,
    recursors: config.recursors.map(parseRecursor),
    recursorTimeoutMs: tuning.recursorTimeoutMs ?? recursorTimeoutMs ?? DEFAULT_RECURSOR_TIMEOUT_MS,
    lookupTimeoutMs: tuning.lookupTimeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS,
    random: tuning.random ?? Math.random,
  };
}
