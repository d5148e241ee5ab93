import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A userspace WAN for benchmarks, where `tc netem` is unavailable: listens on `listenHost`
 * at each port and relays TCP streams and UDP datagrams to `targetHost` at the same port,
 * holding every chunk or datagram `oneWayMs` in each direction (so a round trip costs
 * 2 × oneWayMs). Order is kept per connection. `oneWayMs` may change while it runs.
 */
export class DelayProxy {
  oneWayMs = 0;
  private readonly servers: Server[] = [];
  private readonly udp: UdpSocket[] = [];
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly listenHost: string,
    private readonly targetHost: string,
  ) {}

  async listenTcp(port: number): Promise<void> {
    const server = createServer((inbound) => {
      const outbound = connect(port, this.targetHost);
      this.track(inbound);
      this.track(outbound);
      this.pipe(inbound, outbound);
      this.pipe(outbound, inbound);
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, this.listenHost, resolve));
    this.servers.push(server);
  }

  /** One upstream socket per sender, so replies find their way back to it. */
  async listenUdp(port: number): Promise<void> {
    const front = createSocket('udp4');
    const upstream = new Map<string, UdpSocket>();
    front.on('message', (msg, from: RemoteInfo) => {
      const key = `${from.address}:${from.port}`;
      let up = upstream.get(key);
      if (!up) {
        const sock = createSocket('udp4');
        sock.on('message', (reply) => this.later(() => front.send(reply, from.port, from.address)));
        sock.on('error', () => undefined);
        sock.bind(0, this.listenHost);
        this.udp.push(sock);
        upstream.set(key, sock);
        up = sock;
      }
      const target = up;
      this.later(() => target.send(msg, port, this.targetHost));
    });
    front.on('error', () => undefined);
    await new Promise<void>((resolve) => front.bind(port, this.listenHost, resolve));
    this.udp.push(front);
  }

  close(): void {
    for (const s of this.servers) s.close();
    for (const s of this.sockets) s.destroy();
    for (const u of this.udp) u.close();
  }

  private pipe(from: Socket, to: Socket): void {
    from.on('data', (chunk) => this.later(() => to.destroyed || to.write(chunk)));
    from.on('close', () => this.later(() => to.destroy()));
    from.on('error', () => to.destroy());
  }

  private track(s: Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
  }

  /** Same delay for everything, so timers fire in arrival order and streams stay ordered. */
  private later(fn: () => unknown): void {
    if (this.oneWayMs <= 0) fn();
    else setTimeout(fn, this.oneWayMs);
  }
}
