import { Packr } from 'msgpackr';

/**
 * The server port's msgpack codec. Records/structures are off so every frame is
 * self-describing: any server or agent decodes it without shared state. These options are
 * the wire format (raft's own codec for its disk records uses the same ones).
 */
const packr = new Packr({ useRecords: false, mapsAsObjects: true });

export function encode(value: unknown): Uint8Array {
  return packr.pack(value);
}

export function decode<T>(bytes: Uint8Array): T {
  return packr.unpack(bytes) as T;
}
