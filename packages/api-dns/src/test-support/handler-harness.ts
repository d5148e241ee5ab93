import * as dnsPacket from 'dns-packet';
import { NullLogger } from '@proconsul/kernel';
import type { DnsDataSource } from '../dns-data-source.js';
import { dnsOptionsFrom, type DnsTuning } from '../dns-options.js';
import { DnsQueryHandler } from '../dns-query-handler.js';
import type { Transport } from '../response-encoder.js';
import { queryPacket } from './dns-test-client.js';
import { seededRandom } from './seeded-random.js';
import { testRuntimeConfig, type TestConfigOverrides } from './test-config.js';

export function makeHandler(source: DnsDataSource, config: TestConfigOverrides = {}, tuning: DnsTuning = {}): DnsQueryHandler {
  return new DnsQueryHandler(
    source,
    dnsOptionsFrom(testRuntimeConfig(config), { random: seededRandom(42), ...tuning }),
    new NullLogger(),
  );
}

export interface AskOptions {
  readonly transport?: Transport;
  readonly edns?: number;
}

/** Runs one query through the handler in-process and decodes the reply. */
export async function ask(
  handler: DnsQueryHandler,
  name: string,
  type: string,
  opts: AskOptions = {},
): Promise<dnsPacket.DecodedPacket & { rcode: string }> {
  const reply = await handler.answer(queryPacket(name, type, { edns: opts.edns }), opts.transport ?? 'udp');
  if (!reply) throw new Error(`no reply for ${name} ${type}`);
  return dnsPacket.decode(reply) as dnsPacket.DecodedPacket & { rcode: string };
}

/** `data` of the answers of one type, for compact assertions. */
export function dataOf(records: readonly dnsPacket.Answer[] | undefined, type: string): unknown[] {
  return (records ?? []).filter((r) => r.type === type).map((r) => ('data' in r ? r.data : undefined));
}

export function txtStrings(records: readonly dnsPacket.Answer[] | undefined): string[] {
  return (records ?? [])
    .filter((r) => r.type === 'TXT')
    .map((r) =>
      ([r.data] as unknown[])
        .flat()
        .map((b) => String(b))
        .join(''),
    );
}
