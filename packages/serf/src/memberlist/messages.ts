import { Packr } from 'msgpackr';

/**
 * Wire messages of the SWIM layer. Each is one msgpack map; a UDP packet is a compound
 * of length-prefixed messages so broadcasts can ride along with probes.
 */
export type Msg =
  | { t: 'ping'; seq: number; node: string; from: string; addr: string; port: number }
  | {
      t: 'ping-req';
      seq: number;
      target: string;
      taddr: string;
      tport: number;
      nack: boolean;
      from: string;
      addr: string;
      port: number;
    }
  /**
   * `pl`: the responder's ping-delegate payload (serf's Vivaldi coordinate) on the ack to a
   * direct ping. Optional: members that do not send it are still acked and probed normally.
   */
  | { t: 'ack'; seq: number; pl?: Uint8Array }
  | { t: 'nack'; seq: number }
  | { t: 'suspect'; inc: number; node: string; from: string }
  | { t: 'alive'; inc: number; node: string; addr: string; port: number; meta: Uint8Array; vsn: number[] }
  | { t: 'dead'; inc: number; node: string; from: string }
  | { t: 'user'; data: Uint8Array };

/** One member's entry in a push-pull exchange. */
export interface PushNodeState {
  name: string;
  addr: string;
  port: number;
  meta: Uint8Array;
  inc: number;
  state: 'alive' | 'suspect' | 'dead' | 'left';
  vsn: number[];
}

/** Messages of the reliable (TCP) path; each request gets exactly one response. */
export type StreamMsg =
  | { t: 'ping'; node: string }
  | { t: 'ack' }
  | { t: 'push-pull'; join: boolean; nodes: PushNodeState[]; user: Uint8Array | null }
  | { t: 'user'; data: Uint8Array }
  | { t: 'ok' }
  | { t: 'error'; reason: string };

const packr = new Packr({ useRecords: false, mapsAsObjects: true });

export function encode(m: Msg | StreamMsg): Uint8Array {
  return packr.pack(m);
}

/** Undefined for anything that is not a well-formed message (never throws). */
export function decode<T extends { t: string }>(buf: Uint8Array): T | undefined {
  try {
    const v = packr.unpack(buf) as unknown;
    if (typeof v !== 'object' || v === null || typeof (v as { t?: unknown }).t !== 'string') return undefined;
    return v as T;
  } catch {
    return undefined;
  }
}

/** Bytes a part costs inside a compound packet (2-byte length prefix). */
export const COMPOUND_PART_OVERHEAD = 2;

export function packCompound(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += COMPOUND_PART_OVERHEAD + p.length;
  const out = Buffer.allocUnsafe(size);
  let o = 0;
  for (const p of parts) {
    out.writeUInt16BE(p.length, o);
    out.set(p, o + 2);
    o += 2 + p.length;
  }
  return out;
}

export function unpackCompound(buf: Uint8Array): Uint8Array[] {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const parts: Uint8Array[] = [];
  let o = 0;
  while (o + 2 <= b.length) {
    const len = b.readUInt16BE(o);
    if (o + 2 + len > b.length) break; // truncated: keep what was whole
    parts.push(b.subarray(o + 2, o + 2 + len));
    o += 2 + len;
  }
  return parts;
}
