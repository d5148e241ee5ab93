import * as dnsPacket from 'dns-packet';
import type { Rr } from './dns-records.js';
import { RCODE_VALUES, type Rcode, type Resolution } from './resolution.js';

export type Transport = 'udp' | 'tcp';

export interface EncodeLimits {
  readonly transport: Transport;
  readonly udpAnswerLimit: number;
  readonly enableTruncate: boolean;
  readonly recursionAvailable: boolean;
}

// RFC 1035: a DNS message over UDP without EDNS0 is at most 512 bytes.
const CLASSIC_UDP_SIZE = 512;
// A TCP message's length prefix is 16 bits.
const MAX_MESSAGE_SIZE = 65535;
// Consul caps udp_answer_limit at 8 whatever the configuration says.
const MAX_UDP_ANSWERS = 8;

const FLAG_AA = 1 << 10;
const FLAG_TC = 1 << 9;
const FLAG_RD = 1 << 8;
const FLAG_RA = 1 << 7;

const answerCodec = (dnsPacket as unknown as { answer: { encodingLength(a: Rr): number } }).answer;

export function ednsOf(query: dnsPacket.DecodedPacket): dnsPacket.OptAnswer | undefined {
  return query.additionals?.find((a): a is dnsPacket.OptAnswer => a.type === 'OPT');
}

/** The largest response this client accepts on this transport. */
export function maxResponseSize(query: dnsPacket.DecodedPacket, transport: Transport): number {
  if (transport === 'tcp') return MAX_MESSAGE_SIZE;
  const edns = ednsOf(query);
  if (!edns) return CLASSIC_UDP_SIZE;
  return Math.min(MAX_MESSAGE_SIZE, Math.max(CLASSIC_UDP_SIZE, edns.udpPayloadSize));
}

/**
 * An upper bound on the answer units a response to `query` can hold: the UDP answer cap
 * without EDNS, else how many of the smallest possible records (the question name, a
 * fixed header, one byte of data) fit the size limit.
 */
export function maxUnitsFor(query: dnsPacket.DecodedPacket, qname: string, limits: EncodeLimits): number {
  const maxSize = maxResponseSize(query, limits.transport);
  const minRecord = Buffer.byteLength(qname) + 2 + 10 + 1;
  const bySize = Math.floor((maxSize - 12) / minRecord) + 1;
  if (limits.transport === 'udp' && maxSize === CLASSIC_UDP_SIZE) {
    return Math.min(bySize, Math.max(0, Math.min(MAX_UDP_ANSWERS, limits.udpAnswerLimit)) + 1);
  }
  return bySize;
}

/** Echo of the client's OPT (Consul echoes the advertised size), or nothing without EDNS. */
function optFor(query: dnsPacket.DecodedPacket): Rr[] {
  const edns = ednsOf(query);
  if (!edns) return [];
  const size = Math.max(CLASSIC_UDP_SIZE, edns.udpPayloadSize);
  return [
    { type: 'OPT', name: '.', udpPayloadSize: size, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] },
  ];
}

function headerFlags(query: dnsPacket.DecodedPacket, rcode: Rcode, extra: number, ra: boolean): number {
  const opcodeBits = (query.flags ?? 0) & 0x7800;
  return opcodeBits | ((query.flags ?? 0) & FLAG_RD) | (ra ? FLAG_RA : 0) | extra | RCODE_VALUES[rcode];
}

/**
 * Encodes an authoritative answer within the client's size limits: on UDP without EDNS at
 * most udp_answer_limit answer units, and on every transport only as many whole units as
 * fit. TC is set when UDP answers were cut and enable_truncate is on.
 */
export function encodeResolution(
  query: dnsPacket.DecodedPacket,
  question: dnsPacket.Question,
  res: Resolution,
  limits: EncodeLimits,
): Buffer {
  const maxSize = maxResponseSize(query, limits.transport);
  let units = res.units;
  let trimmed = res.more === true;
  const answerCap = Math.min(MAX_UDP_ANSWERS, limits.udpAnswerLimit);
  if (limits.transport === 'udp' && maxSize === CLASSIC_UDP_SIZE && units.length > answerCap) {
    units = units.slice(0, Math.max(0, answerCap));
    trimmed = true;
  }
  const fixedAdditionals = [...res.additionals, ...optFor(query)];
  let size = dnsPacket.encodingLength({
    questions: [question],
    authorities: [...res.authorities],
    additionals: fixedAdditionals,
  });
  const answers: Rr[] = [];
  const extras: Rr[] = [];
  const extraKeys = new Set<string>();
  for (const unit of units) {
    let unitSize = 0;
    const newExtras: Rr[] = [];
    for (const a of unit.answers) unitSize += answerCodec.encodingLength(a);
    for (const e of unit.extras) {
      const key = recordKey(e);
      if (extraKeys.has(key) || newExtras.some((n) => recordKey(n) === key)) continue;
      newExtras.push(e);
      unitSize += answerCodec.encodingLength(e);
    }
    if (size + unitSize > maxSize) {
      trimmed = true;
      break;
    }
    size += unitSize;
    answers.push(...unit.answers);
    for (const e of newExtras) {
      extraKeys.add(recordKey(e));
      extras.push(e);
    }
  }
  const tc = trimmed && limits.enableTruncate && limits.transport === 'udp' ? FLAG_TC : 0;
  return dnsPacket.encode({
    type: 'response',
    id: query.id ?? 0,
    flags: headerFlags(query, res.rcode, FLAG_AA | tc, limits.recursionAvailable),
    questions: [question],
    answers,
    authorities: [...res.authorities],
    additionals: [...extras, ...fixedAdditionals],
  });
}

/** A non-authoritative error answer that echoes the question (REFUSED, SERVFAIL, NOTIMP). */
export function encodeError(
  query: dnsPacket.DecodedPacket,
  question: dnsPacket.Question | undefined,
  rcode: Rcode,
  recursionAvailable: boolean,
): Buffer {
  return dnsPacket.encode({
    type: 'response',
    id: query.id ?? 0,
    flags: headerFlags(query, rcode, 0, recursionAvailable),
    questions: question ? [question] : [],
    answers: [],
    authorities: [],
    additionals: optFor(query),
  });
}

/**
 * A bare 12-byte header answer for packets we could not decode: it needs only the ID and
 * the opcode/RD bits from the first three bytes. Undefined when even the ID is missing.
 */
export function encodeHeaderOnly(packet: Buffer, rcode: Rcode): Buffer | undefined {
  if (packet.length < 2) return undefined;
  const out = Buffer.alloc(12);
  out.writeUInt16BE(packet.readUInt16BE(0), 0);
  const flags = packet.length >= 3 ? (packet[2]! << 8) & (0x7800 | FLAG_RD) : 0;
  out.writeUInt16BE(0x8000 | flags | RCODE_VALUES[rcode], 2);
  return out;
}

function recordKey(r: Rr): string {
  return `${r.type}|${r.name}|${JSON.stringify('data' in r ? r.data : null)}`;
}
