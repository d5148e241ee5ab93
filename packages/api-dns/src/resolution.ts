import { soaRecord, type Rr } from './dns-records.js';

export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED';

export const RCODE_VALUES: Readonly<Record<Rcode, number>> = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
};

/**
 * Answers that stand or fall together when a response must be cut: one service instance's
 * SRV with the A records its target needs, or one A record. Keeping them paired means a
 * trimmed response never carries an SRV without its address (or an orphan address).
 */
export interface AnswerUnit {
  readonly answers: readonly Rr[];
  readonly extras: readonly Rr[];
}

/** The outcome of an authoritative lookup, before size limits are applied. */
export interface Resolution {
  readonly rcode: Rcode;
  /** In answer order (already shuffled where Consul shuffles). */
  readonly units: readonly AnswerUnit[];
  readonly authorities: readonly Rr[];
  /** Additional records that are not tied to one unit (e.g. addresses of NS targets). */
  readonly additionals: readonly Rr[];
  /** Units were left out because they could not fit the response anyway (see maxUnits). */
  readonly more?: boolean;
}

/** The question is answered by the upstream recursors, not by us. */
export const FORWARD = Symbol('forward');
export type LookupOutcome = Resolution | typeof FORWARD;

export function answered(units: readonly AnswerUnit[], domain: string, more = false): Resolution {
  const nonEmpty = units.filter((u) => u.answers.length > 0);
  return nonEmpty.length > 0 ? { rcode: 'NOERROR', units: nonEmpty, authorities: [], additionals: [], more } : noData(domain);
}

/** The name exists but has no record of the asked type: NOERROR with the SOA (RFC 2308). */
export function noData(domain: string): Resolution {
  return { rcode: 'NOERROR', units: [], authorities: [soaRecord(domain)], additionals: [] };
}

export function nxdomain(domain: string): Resolution {
  return { rcode: 'NXDOMAIN', units: [], authorities: [soaRecord(domain)], additionals: [] };
}

export function failure(rcode: Rcode): Resolution {
  return { rcode, units: [], authorities: [], additionals: [] };
}
