import { connect, type Socket } from 'node:net';
import { Packr } from 'msgpackr';

/** The server port's first byte for RPC, and its msgpack framing, written out by hand as an attacker would. */
const PROTO_RPC = 0x50;
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

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
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
      this.waiting.get(reply.id)?.(reply);
      this.waiting.delete(reply.id);
    }
  }
}
