import { defineError } from '@proconsul/kernel';

export const DnsRecursorInvalid = defineError(
  'DNS_RECURSOR_INVALID',
  400,
  (value: string, reason: string) => `recursors: "${value}" ${reason}`,
);

export const DnsListenFailed = defineError(
  'DNS_LISTEN_FAILED',
  500,
  (address: string, reason: string) => `DNS server cannot listen on ${address}: ${reason}`,
);

export const DnsLookupTimeout = defineError(
  'DNS_LOOKUP_TIMEOUT',
  500,
  (name: string, ms: number) => `catalog lookup for ${name} took longer than ${ms} ms`,
);
