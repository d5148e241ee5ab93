/**
 * Just enough of the server port's wire format (docs/security.md) for tests that speak to
 * an agent as an outsider: the protocol bytes and a length-prefixed msgpack frame of a
 * flat object. The CLI may not import the raft plugin, and an outsider should not need to.
 */
export const PROTO_TLS = 0x03;
export const PROTO_RAFT = 0x52;
export const PROTO_RPC = 0x50;

type Flat = Readonly<Record<string, string | number | Readonly<Record<string, never>>>>;

export function encodeFrameForTest(value: Flat): Buffer {
  const parts: Buffer[] = [];
  const entries = Object.entries(value);
  if (entries.length > 15) throw new Error('test frames hold at most 15 keys');
  parts.push(Buffer.of(0x80 | entries.length));
  for (const [k, v] of entries) {
    parts.push(str(k));
    if (typeof v === 'string') parts.push(str(v));
    else if (typeof v === 'number') parts.push(uint(v));
    else parts.push(Buffer.of(0x80)); // {}
  }
  const body = Buffer.concat(parts);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

function str(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  if (b.length > 31) throw new Error('test frames hold short strings only');
  return Buffer.concat([Buffer.of(0xa0 | b.length), b]);
}

function uint(n: number): Buffer {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error('test frames hold uint32 numbers only');
  if (n < 128) return Buffer.of(n);
  const b = Buffer.alloc(5);
  b[0] = 0xce;
  b.writeUInt32BE(n, 1);
  return b;
}
