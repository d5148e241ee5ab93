import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, isIPv6, type Server, type Socket } from 'node:net';
import type { Logger } from '@proconsul/kernel';
import type { PacketHandler, StreamHandler, Transport } from '../memberlist/transport.js';
import { frame, FrameReader } from './frame-reader.js';

/**
 * Real sockets: UDP and TCP on the same port, bound exactly to the bind address (so
 * agents on 127.0.0.1, .2 and .3 can all use 8301). Port 0 picks a free port for both.
 */
export class UdpTcpTransport implements Transport {
  private packetHandler: PacketHandler | undefined;
  private streamHandler: StreamHandler | undefined;
  private readonly conns = new Set<Socket>();
  private closed = false;

  private constructor(
    private readonly udp: UdpSocket,
    private readonly tcp: Server,
    readonly addr: string,
    readonly port: number,
    private readonly logger: Logger,
  ) {
    udp.on('message', (msg, rinfo) => {
      if (!this.closed) this.packetHandler?.(msg, rinfo.address, rinfo.port);
    });
    udp.on('error', (e) => logger.warn('udp socket error', { error: e }));
    tcp.on('connection', (s) => this.serve(s));
  }

  static async listen(addr: string, port: number, logger: Logger): Promise<UdpTcpTransport> {
    for (let attempt = 0; ; attempt++) {
      const udp = createSocket({ type: isIPv6(addr) ? 'udp6' : 'udp4', reuseAddr: false });
      await new Promise<void>((res, rej) => {
        udp.once('error', rej);
        udp.bind({ address: addr, port, exclusive: true }, () => {
          udp.off('error', rej);
          res();
        });
      });
      const bound = udp.address().port;
      const tcp = createServer();
      try {
        await new Promise<void>((res, rej) => {
          tcp.once('error', rej);
          tcp.listen({ host: addr, port: bound, exclusive: true }, () => {
            tcp.off('error', rej);
            res();
          });
        });
        return new UdpTcpTransport(udp, tcp, addr, bound, logger);
      } catch (e) {
        udp.close();
        // With port 0 the UDP port may be taken for TCP; pick again a few times.
        if (port !== 0 || attempt >= 5) throw e;
      }
    }
  }

  sendPacket(addr: string, port: number, data: Uint8Array): void {
    if (this.closed) return;
    this.udp.send(data, port, addr, (err) => {
      if (err) this.logger.debug('udp send failed', { to: `${addr}:${port}`, error: err });
    });
  }

  request(addr: string, port: number, data: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: addr, port, localAddress: this.addr });
      const reader = new FrameReader();
      const timer = setTimeout(() => fail(new Error(`i/o timeout to ${addr}:${port}`)), timeoutMs);
      const fail = (e: Error) => {
        clearTimeout(timer);
        s.destroy();
        reject(e);
      };
      s.on('connect', () => s.write(frame(data)));
      s.on('data', (chunk) => {
        try {
          const f = reader.push(chunk);
          if (!f) return;
          clearTimeout(timer);
          s.end();
          resolve(Uint8Array.from(f));
        } catch (e) {
          fail(e as Error);
        }
      });
      s.on('error', (e) => fail(e));
      s.on('close', () => fail(new Error(`connection to ${addr}:${port} closed without a response`)));
    });
  }

  setPacketHandler(h: PacketHandler): void {
    this.packetHandler = h;
  }

  setStreamHandler(h: StreamHandler): void {
    this.streamHandler = h;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.conns) c.destroy();
    await Promise.all([new Promise<void>((r) => this.udp.close(() => r())), new Promise<void>((r) => this.tcp.close(() => r()))]);
  }

  private serve(s: Socket): void {
    this.conns.add(s);
    s.on('close', () => this.conns.delete(s));
    s.setTimeout(30_000, () => s.destroy());
    const reader = new FrameReader();
    s.on('error', () => s.destroy());
    s.on('data', (chunk) => {
      let f: Buffer | undefined;
      try {
        f = reader.push(chunk);
      } catch {
        s.destroy();
        return;
      }
      if (!f || !this.streamHandler) return;
      s.pause();
      this.streamHandler(Uint8Array.from(f), s.remoteAddress ?? '').then(
        (resp) => s.end(frame(resp)),
        () => s.destroy(),
      );
    });
  }
}
