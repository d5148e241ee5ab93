import type { DnsConfig, RuntimeConfig } from '@proconsul/kernel';

export interface TestConfigOverrides {
  readonly dnsPort?: number;
  readonly clientAddrs?: readonly string[];
  readonly domain?: string;
  readonly altDomain?: string;
  readonly recursors?: readonly string[];
  readonly dns?: Partial<DnsConfig>;
}

/** The RuntimeConfig fields the DNS server reads, with Consul's defaults. */
export function testRuntimeConfig(o: TestConfigOverrides = {}): RuntimeConfig {
  const dnsConfig: DnsConfig = {
    allowStale: true,
    maxStaleMs: 87600 * 3600 * 1000,
    nodeTtlS: 0,
    serviceTtlS: {},
    onlyPassing: false,
    udpAnswerLimit: 3,
    aRecordLimit: 0,
    enableTruncate: false,
    ...o.dns,
  };
  const partial = {
    datacenter: 'dc1',
    clientAddrs: o.clientAddrs ?? ['127.0.0.1'],
    ports: { http: 8500, https: -1, dns: o.dnsPort ?? 0, serfLan: 8301, serfWan: 8302, server: 8300 },
    domain: o.domain ?? 'consul.',
    altDomain: o.altDomain ?? '',
    dnsConfig,
    recursors: o.recursors ?? [],
  };
  return partial as unknown as RuntimeConfig;
}
