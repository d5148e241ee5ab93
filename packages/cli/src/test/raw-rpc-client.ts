import { connect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { Packr } from 'msgpackr';

/** The server port's first bytes (RPC, TLS) and its msgpack framing, written out by hand as an attacker would. */
const PROTO_RPC = 0x50;
const PROTO_TLS = 0x03;
const packr = new Packr({ useRecords: false, mapsAsObjects: true });

export interface RawReply {
  readonly body?: unknown;
  readonly error?: { readonly code: string; readonly message: string };
}

/**
 * A process that speaks the server port's RPC framing with no agent, token or
 * certificate behind it: what a rogue program on the network can send to 8300.
 */
export class RawRpcClient {
  private nextId = 1;
  private buf = Buffer.alloc(0);
  private readonly waiting = new Map<number, (r: RawReply) => void>();

  /** Resolves when the server closes the connection; carries any refusal it sent first. */
  readonly closed: Promise<RawReply | undefined>;
  private refusal: RawReply | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => socket.once('close', () => resolve(this.refusal)));
  }

  static open(host: string, port: number): Promise<RawRpcClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ host, port }, () => {
        s.off('error', reject);
        s.write(Buffer.from([PROTO_RPC]));
        resolve(new RawRpcClient(s));
      });
      s.once('error', reject);
    });
  }

  /**
   * Over TLS (Consul's RPCTLS byte, then a handshake), presenting whatever certificate
   * `tls` holds. Rejects if the handshake fails.
   */
  static openTls(host: string, port: number, tls: ConnectionOptions): Promise<RawRpcClient> {
    return new Promise((resolve, reject) => {
      const raw = connect({ host, port }, () => {
        raw.write(Buffer.from([PROTO_TLS]));
        const t = tlsConnect({ ...tls, socket: raw }, () => {
          t.off('error', reject);
          t.write(Buffer.from([PROTO_RPC]));
          resolve(new RawRpcClient(t as unknown as Socket));
        });
        t.once('error', reject);
      });
      raw.once('error', reject);
    });
  }

  call(method: string, body: unknown, timeoutMs = 5000): Promise<RawReply> {
    const id = this.nextId++;
    const payload = packr.pack({ id, method, body });
    const frame = Buffer.alloc(4 + payload.length);
    frame.writeUInt32BE(payload.length, 0);
    frame.set(payload, 4);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${method} within ${timeoutMs} ms`)), timeoutMs);
      this.waiting.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      this.socket.write(frame);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    while (this.buf.length >= 4) {
      const len = this.buf.readUInt32BE(0);
      if (this.buf.length < 4 + len) return;
      const reply = packr.unpack(this.buf.subarray(4, 4 + len)) as RawReply & { id: number };
      this.buf = this.buf.subarray(4 + len);
      // Id 0 is the server's reason for closing the connection (TLS required, …).
      if (reply.id === 0) this.refusal = reply;
      this.waiting.get(reply.id)?.(reply);
      this.waiting.delete(reply.id);
    }
  }
}
