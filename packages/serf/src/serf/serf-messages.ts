import { Packr } from 'msgpackr';

/** Serf's messages, carried as memberlist user messages (gossip or direct). */
export interface QueryFilters {
  /** Only these node names respond (empty: all). */
  readonly nodes?: readonly string[];
  /** Tag name → regular expression each responder's tag must match (anchored). */
  readonly tags?: Readonly<Record<string, string>>;
}

export type SerfMsg =
  | { s: 'join'; lt: number; node: string }
  | { s: 'leave'; lt: number; node: string; prune: boolean }
  | { s: 'user'; lt: number; name: string; payload: Uint8Array; cc: boolean }
  | {
      s: 'query';
      lt: number;
      id: number;
      addr: string;
      port: number;
      node: string;
      filters: QueryFilters;
      ack: boolean;
      timeout: number;
      name: string;
      payload: Uint8Array;
    }
  | { s: 'qresp'; lt: number; id: number; from: string; ack: boolean; payload: Uint8Array };

export interface SerfPushPull {
  lt: number;
  /** Membership Lamport time of each member's last intent. */
  status: Record<string, number>;
  left: string[];
  elt: number;
  events: { lt: number; events: { name: string; payload: Uint8Array }[] }[];
  qlt: number;
}

const packr = new Packr({ useRecords: false, mapsAsObjects: true });

export function encodeSerf(m: SerfMsg | SerfPushPull): Uint8Array {
  return packr.pack(m);
}

/** Any other structured payload carried in serf messages (query answers). */
export function encodePayload(v: object): Uint8Array {
  return packr.pack(v);
}

export function decodeSerf<T>(b: Uint8Array): T | undefined {
  try {
    const v = packr.unpack(b) as unknown;
    return typeof v === 'object' && v !== null ? (v as T) : undefined;
  } catch {
    return undefined;
  }
}

export function encodeTags(tags: Readonly<Record<string, string>>): Uint8Array {
  return packr.pack(tags);
}

export function decodeTags(meta: Uint8Array): Record<string, string> {
  if (meta.length === 0) return {};
  const v = decodeSerf<Record<string, unknown>>(meta);
  const out: Record<string, string> = {};
  if (v) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}
