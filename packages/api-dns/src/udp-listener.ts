import dgram from 'node:dgram';
import { isIP } from 'node:net';
import type { Logger } from '@proconsul/kernel';
import type { Transport } from './response-encoder.js';

export type PacketHandler = (packet: Buffer, transport: Transport) => Promise<Buffer | undefined>;

// Each query holds a promise until its lookup times out; beyond this many we shed load
// (drop) rather than queue without bound during a flood.
const DEFAULT_MAX_IN_FLIGHT = 4096;

/** One UDP socket: each datagram is one query, answered to its sender. */
export class UdpListener {
  private socket: dgram.Socket | undefined;
  private inFlight = 0;

  constructor(
    private readonly host: string,
    private readonly handler: PacketHandler,
    private readonly logger: Logger,
    private readonly maxInFlight = DEFAULT_MAX_IN_FLIGHT,
  ) {}

  /** Resolves with the bound port; rejects with the bind error (e.g. EADDRINUSE). */
  start(port: number): Promise<number> {
    const socket = dgram.createSocket({ type: isIP(this.host) === 6 ? 'udp6' : 'udp4' });
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, this.host, () => {
        socket.off('error', reject);
        socket.on('error', (err) => this.logger.warn('DNS UDP socket error', { error: err }));
        socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
        this.socket = socket;
        resolve(socket.address().port);
      });
    });
  }

  private onMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (this.inFlight >= this.maxInFlight) return;
    this.inFlight++;
    void this.handler(msg, 'udp')
      .then((reply) => {
        if (reply && this.socket) this.socket.send(reply, rinfo.port, rinfo.address, () => {});
      })
      .finally(() => this.inFlight--);
  }

  stop(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return Promise.resolve();
    return new Promise((resolve) => socket.close(() => resolve()));
  }
}
