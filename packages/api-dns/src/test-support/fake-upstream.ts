import dgram from 'node:dgram';
import * as dnsPacket from 'dns-packet';

/**
 * A UDP resolver on 127.0.0.1 that records the queries it receives and answers every A
 * question with `address` (or stays silent, to play a dead recursor).
 */
export class FakeUpstream {
  readonly received: dnsPacket.DecodedPacket[] = [];
  private readonly socket = dgram.createSocket('udp4');

  constructor(private readonly address: string | undefined) {}

  async start(): Promise<number> {
    this.socket.on('message', (msg, rinfo) => {
      const q = dnsPacket.decode(msg);
      this.received.push(q);
      if (this.address === undefined) return;
      const reply = dnsPacket.encode({
        type: 'response',
        id: q.id,
        flags: dnsPacket.RECURSION_AVAILABLE | dnsPacket.RECURSION_DESIRED,
        questions: q.questions,
        answers: [{ type: 'A', name: q.questions![0]!.name, ttl: 60, data: this.address }],
      });
      this.socket.send(reply, rinfo.port, rinfo.address);
    });
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    return this.socket.address().port;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
