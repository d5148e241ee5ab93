import { Packr } from 'msgpackr';
import { BadRequest, type UserEvent } from '@proconsul/kernel';
import { compileGoRegexp } from '@proconsul/state';

/** Serf event names Consul uses for user events carry this prefix; other serf events are not ours. */
export const USER_EVENT_PREFIX = 'consul:event:';
/** The envelope version we write; newer versions are still accepted (Consul logs and goes on). */
export const USER_EVENT_VERSION = 1;

// Consul's msgpack field names for the envelope (its `codec:` tags); ID has none.
interface Envelope {
  ID: string;
  n: string;
  p?: Uint8Array;
  nf?: string;
  sf?: string;
  tf?: string;
  v: number;
}

const packr = new Packr({ useRecords: false, mapsAsObjects: true, variableMapSize: true });

/** The serf payload for an event: the filters travel with it so each receiver can judge itself. */
export function encodeUserEvent(e: UserEvent): Uint8Array {
  const env: Envelope = { ID: e.ID, n: e.Name, v: e.Version };
  if (e.Payload && e.Payload.length > 0) env.p = e.Payload;
  if (e.NodeFilter) env.nf = e.NodeFilter;
  if (e.ServiceFilter) env.sf = e.ServiceFilter;
  if (e.TagFilter) env.tf = e.TagFilter;
  return packr.pack(env);
}

/** Decode a received payload; undefined when it is not an event envelope. */
export function decodeUserEvent(bytes: Uint8Array, ltime: number): UserEvent | undefined {
  let raw: unknown;
  try {
    raw = packr.unpack(bytes);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const o = raw as Partial<Envelope>;
  if (typeof o.ID !== 'string' || typeof o.n !== 'string') return undefined;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    ID: o.ID,
    Name: o.n,
    Payload: o.p instanceof Uint8Array && o.p.length > 0 ? new Uint8Array(o.p) : null,
    NodeFilter: str(o.nf),
    ServiceFilter: str(o.sf),
    TagFilter: str(o.tf),
    Version: typeof o.v === 'number' ? o.v : 1,
    LTime: ltime,
  };
}

/** Consul's checks before firing: a name, a tag filter only with a service filter, filters that compile. */
export function validateUserEvent(e: Pick<UserEvent, 'Name' | 'NodeFilter' | 'ServiceFilter' | 'TagFilter'>): void {
  if (!e.Name) throw BadRequest('User event missing name');
  if (e.TagFilter && !e.ServiceFilter) throw BadRequest('Cannot provide tag filter without service filter');
  for (const [what, re] of [
    ['node', e.NodeFilter],
    ['service', e.ServiceFilter],
    ['tag', e.TagFilter],
  ] as const) {
    if (!re) continue;
    try {
      compileGoRegexp(re);
    } catch (err) {
      throw BadRequest(`Invalid ${what} filter: ${(err as Error).message}`);
    }
  }
}

/**
 * Consul's event-list index: the event ID's UUID hex split in two 64-bit halves, XORed
 * (its `uuidToUint64`). Not monotonic, so blocking compares it for equality only.
 */
export function uuidToUint64(uuid: string): bigint {
  const lower = uuid.slice(0, 8) + uuid.slice(9, 13) + uuid.slice(14, 18);
  const upper = uuid.slice(19, 23) + uuid.slice(24, 36);
  if (!/^[0-9a-fA-F]{16}$/.test(lower) || !/^[0-9a-fA-F]{16}$/.test(upper)) return 0n;
  return BigInt(`0x${lower}`) ^ BigInt(`0x${upper}`);
}
