import { decode, encode } from './wire-codec.js';

/** First byte of a connection to the server port: which protocol the rest of it speaks. */
export const PROTO_RAFT = 0x52; // 'R'
export const PROTO_RPC = 0x50; // 'P'
/** Consul's RPCTLS: the connection is upgraded to TLS and the first byte inside it is PROTO_RAFT or PROTO_RPC. */
export const PROTO_TLS = 0x03;
/**
 * Consul's RPCTLSInsecure: TLS without a client certificate, for auto_encrypt's first call
 * (a client asking for its certificate). Inside it only RPC, and only AutoEncrypt.Sign.
 */
export const PROTO_TLS_INSECURE = 0x07;

/** The one RPC an agent without a certificate may make (auto_encrypt). */
export const AUTO_ENCRYPT_SIGN = 'AutoEncrypt.Sign';

/** Frames larger than this are refused: a corrupt length must not make us allocate gigabytes. */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** A length-prefixed (uint32 BE) msgpack frame. */
export function encodeFrame(value: unknown): Buffer {
  const body = encode(value);
  const frame = Buffer.allocUnsafe(4 + body.length);
  frame.writeUInt32BE(body.length, 0);
  frame.set(body, 4);
  return frame;
}

/**
 * Splits a byte stream into frames. Feed it socket data as it arrives; it calls `onFrame`
 * with each decoded value in order. Throws on an oversized frame (the caller drops the
 * connection).
 */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: (value: unknown) => void) {}

  push(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    while (this.buf.length >= 4) {
      const len = this.buf.readUInt32BE(0);
      if (len > MAX_FRAME_BYTES) throw new Error(`frame of ${len} bytes exceeds ${MAX_FRAME_BYTES}`);
      if (this.buf.length < 4 + len) return;
      const body = this.buf.subarray(4, 4 + len);
      this.buf = this.buf.subarray(4 + len);
      this.onFrame(decode(body));
    }
  }
}
