import net from 'node:net';
import type { Logger } from '@proconsul/kernel';
import type { PacketHandler } from './udp-listener.js';

export interface TcpListenerLimits {
  /** A connection with no query in progress is closed after this long without data. */
  readonly idleTimeoutMs: number;
  readonly maxConnections: number;
  /** Pipelined queries answered concurrently per connection; reading pauses beyond it. */
  readonly maxInFlightPerConnection: number;
}

// miekg/dns (Consul's server) closes idle TCP connections after 8 s.
export const DEFAULT_TCP_LIMITS: TcpListenerLimits = { idleTimeoutMs: 8000, maxConnections: 512, maxInFlightPerConnection: 16 };

/**
 * DNS over TCP (RFC 7766): each message carries a 2-byte length prefix, a connection may
 * carry many queries, and answers may leave in any order (each has its query's ID).
 */
export class TcpListener {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();

  constructor(
    private readonly host: string,
    private readonly handler: PacketHandler,
    private readonly logger: Logger,
    private readonly limits: TcpListenerLimits = DEFAULT_TCP_LIMITS,
  ) {}

  start(port: number): Promise<number> {
    const server = net.createServer({ allowHalfOpen: true }, (socket) => this.onConnection(socket));
    server.maxConnections = this.limits.maxConnections;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        server.off('error', reject);
        server.on('error', (err) => this.logger.warn('DNS TCP server error', { error: err }));
        this.server = server;
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  }

  private onConnection(socket: net.Socket): void {
    this.sockets.add(socket);
    let buffered: Buffer = Buffer.alloc(0);
    let inFlight = 0;
    let ended = false;
    const finishIfDone = () => {
      if (ended && inFlight === 0 && !socket.destroyed) socket.end();
    };
    socket.setNoDelay(true);
    socket.setTimeout(this.limits.idleTimeoutMs, () => {
      if (inFlight === 0) socket.destroy();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('end', () => {
      ended = true;
      finishIfDone();
    });
    const respond = (frame: Buffer) => {
      inFlight++;
      void this.handler(frame, 'tcp')
        .then((reply) => {
          if (!reply || socket.destroyed || !socket.writable) return;
          const prefix = Buffer.alloc(2);
          prefix.writeUInt16BE(reply.length);
          socket.write(Buffer.concat([prefix, reply]));
        })
        .finally(() => {
          inFlight--;
          drain();
          finishIfDone();
        });
    };
    // Starts complete frames while under the per-connection limit; the rest waits buffered
    // with reading paused, so a client cannot queue unbounded work.
    const drain = () => {
      while (buffered.length >= 2 && inFlight < this.limits.maxInFlightPerConnection) {
        const len = buffered.readUInt16BE(0);
        if (buffered.length < 2 + len) break;
        const frame = Buffer.from(buffered.subarray(2, 2 + len));
        buffered = buffered.subarray(2 + len);
        if (len > 0) respond(frame);
      }
      if (inFlight >= this.limits.maxInFlightPerConnection) socket.pause();
      else if (socket.isPaused() && !socket.destroyed) socket.resume();
    };
    socket.on('data', (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      drain();
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
