import { NullLogger } from '@proconsul/kernel';
import type { DnsDataSource } from '../dns-data-source.js';
import type { DnsTuning } from '../dns-options.js';
import { DnsServer } from '../dns-server.js';
import { seededRandom } from './seeded-random.js';
import { testRuntimeConfig, type TestConfigOverrides } from './test-config.js';

/** Starts a DnsServer on 127.0.0.1 with an OS-picked port (same number for UDP and TCP). */
export async function startServer(
  source: DnsDataSource,
  config: TestConfigOverrides = {},
  tuning: DnsTuning = {},
): Promise<{ server: DnsServer; port: number }> {
  const server = new DnsServer(source, testRuntimeConfig({ dnsPort: 0, ...config }), new NullLogger(), {
    random: seededRandom(7),
    ...tuning,
  });
  server.configure();
  await server.start();
  const address = server.addresses()[0];
  if (!address) throw new Error('DNS server bound nothing');
  return { server, port: Number(address.slice(address.lastIndexOf(':') + 1)) };
}
