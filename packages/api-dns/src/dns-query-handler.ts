import * as dnsPacket from 'dns-packet';
import { performance } from 'node:perf_hooks';
import { NO_METRICS, type Logger, type MetricsRegistry } from '@proconsul/kernel';
import type { DnsDataSource } from './dns-data-source.js';
import type { DnsOptions } from './dns-options.js';
import { DnsResolver } from './dns-resolver.js';
import { DnsLookupTimeout } from './errors.js';
import { RecursorClient } from './recursor-client.js';
import { failure, FORWARD, type LookupOutcome } from './resolution.js';
import { encodeError, encodeHeaderOnly, encodeResolution, maxUnitsFor, type Transport } from './response-encoder.js';

const HEADER_SIZE = 12;
const OPCODE_QUERY = 0;

/**
 * One DNS message in, one (or no) DNS message out; the sockets live elsewhere, so this is
 * what in-process tests and the benchmark drive. Safe to call concurrently. Never rejects:
 * undecodable input gets FORMERR when its ID is readable and is dropped otherwise; a
 * failing or slow data source gives SERVFAIL. The caller owns both buffers.
 */
export class DnsQueryHandler {
  private readonly resolver: DnsResolver;
  private readonly recursor: RecursorClient;

  constructor(
    source: DnsDataSource,
    private readonly options: DnsOptions,
    private readonly logger: Logger,
    private readonly metrics: MetricsRegistry = NO_METRICS,
    private readonly node = '',
  ) {
    this.resolver = new DnsResolver(source, options);
    this.recursor = new RecursorClient(options.recursors, options.recursorTimeoutMs, logger);
  }

  async answer(packet: Buffer, transport: Transport): Promise<Buffer | undefined> {
    try {
      return await this.answerUnsafe(packet, transport);
    } catch (err) {
      // A bug of ours must not take the listener down: answer SERVFAIL with the ID we have.
      this.logger.error('DNS query failed unexpectedly', { error: err });
      return encodeHeaderOnly(packet, 'SERVFAIL');
    }
  }

  private async answerUnsafe(packet: Buffer, transport: Transport): Promise<Buffer | undefined> {
    // Never answer responses: that is how two servers end up in a reflection loop.
    if (packet.length >= 3 && (packet[2]! & 0x80) !== 0) return undefined;
    if (packet.length < HEADER_SIZE) return encodeHeaderOnly(packet, 'FORMERR');
    if (!plausibleCounts(packet)) return encodeHeaderOnly(packet, 'FORMERR');
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(packet);
    } catch {
      return encodeHeaderOnly(packet, 'FORMERR');
    }
    const ra = this.options.recursors.length > 0;
    const opcode = (packet[2]! >> 3) & 0x0f;
    const raw = query.questions?.[0];
    if (opcode !== OPCODE_QUERY) return encodeError(query, raw, 'NOTIMP', ra);
    if (!raw) return encodeHeaderOnly(packet, 'FORMERR');
    // Consul answers with the canonical (lower-case) name; only the first question counts.
    // ASCII only: DNS case-folding is ASCII (RFC 4343) and must not change label lengths.
    const qname = raw.name.replace(/[A-Z]+/g, (m) => m.toLowerCase()).replace(/\.$/, '');
    const question: dnsPacket.Question = { name: qname, type: raw.type, class: raw.class };
    const limits = {
      transport,
      udpAnswerLimit: this.options.udpAnswerLimit,
      enableTruncate: this.options.enableTruncate,
      recursionAvailable: ra,
    };
    const outcome = await this.lookup(qname, raw.type, maxUnitsFor(query, qname, limits));
    if (outcome === FORWARD) {
      const reply = await this.recursor.forward(packet);
      return reply ?? encodeError(query, question, 'SERVFAIL', ra);
    }
    if (outcome.units.length === 0 && outcome.authorities.length === 0 && outcome.rcode !== 'NOERROR') {
      return encodeError(query, question, outcome.rcode, ra);
    }
    return encodeResolution(query, question, outcome, limits);
  }

  private async lookup(qname: string, qtype: string, maxUnits: number): Promise<LookupOutcome> {
    // Consul's timers: `dns.ptr_query` for reverse lookups, `dns.domain_query` for the rest, labelled with this agent.
    const t0 = performance.now();
    const reverse = qname.endsWith('.in-addr.arpa') || qname.endsWith('.ip6.arpa');
    try {
      return await this.lookupUntimed(qname, qtype, maxUnits);
    } finally {
      this.metrics.measureSince(reverse ? 'dns.ptr_query' : 'dns.domain_query', t0, { node: this.node });
    }
  }

  private async lookupUntimed(qname: string, qtype: string, maxUnits: number): Promise<LookupOutcome> {
    let timer: NodeJS.Timeout | undefined;
    const ms = this.options.lookupTimeoutMs;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(DnsLookupTimeout(qname, ms)), ms);
    });
    try {
      return await Promise.race([this.resolver.resolve(qname, qtype, maxUnits), timeout]);
    } catch (err) {
      this.logger.warn('DNS lookup failed', { name: qname, type: qtype, error: err });
      return failure('SERVFAIL');
    } finally {
      clearTimeout(timer);
    }
  }
}

// Smallest encodings: a question is a root name (1 byte) + type + class; a record adds TTL
// and RDLENGTH. Counts that cannot fit the packet are rejected before dns-packet
// pre-allocates arrays of that length (up to 4 × 65535 slots per packet: a cheap DoS).
const MIN_QUESTION_SIZE = 5;
const MIN_RECORD_SIZE = 11;

function plausibleCounts(packet: Buffer): boolean {
  const qd = packet.readUInt16BE(4);
  const records = packet.readUInt16BE(6) + packet.readUInt16BE(8) + packet.readUInt16BE(10);
  return qd * MIN_QUESTION_SIZE + records * MIN_RECORD_SIZE <= packet.length - HEADER_SIZE;
}
