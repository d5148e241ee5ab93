import dgram from 'node:dgram';
import net from 'node:net';
import * as dnsPacket from 'dns-packet';

let nextId = 1;

export function queryPacket(name: string, type: string, opts: { id?: number; edns?: number; rd?: boolean } = {}): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id: opts.id ?? nextId++ & 0xffff,
    flags: opts.rd === false ? 0 : dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: type as dnsPacket.RecordType }],
    additionals:
      opts.edns === undefined
        ? []
        : [
            {
              type: 'OPT',
              name: '.',
              udpPayloadSize: opts.edns,
              extendedRcode: 0,
              ednsVersion: 0,
              flags: 0,
              flag_do: false,
              options: [],
            },
          ],
  });
}

export function rcodeOf(reply: Buffer): number {
  return reply.readUInt16BE(2) & 0x0f;
}

/** Sends one datagram to 127.0.0.1:port and waits (bounded) for one reply. */
export function udpExchange(port: number, packet: Buffer, timeoutMs = 2000): Promise<Buffer | undefined> {
  const socket = dgram.createSocket('udp4');
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    const finish = (b: Buffer | undefined) => {
      clearTimeout(timer);
      socket.close();
      resolve(b);
    };
    socket.once('message', (msg) => finish(msg));
    socket.send(packet, port, '127.0.0.1');
  });
}

/** Opens one TCP connection, sends every query framed (in one write), collects replies. */
export function tcpExchange(port: number, packets: Buffer[], expected = packets.length, timeoutMs = 3000): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const replies: Buffer[] = [];
    let buf = Buffer.alloc(0);
    const socket = net.connect(port, '127.0.0.1');
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(replies);
    }, timeoutMs);
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        replies.push(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
      }
      if (replies.length >= expected) {
        clearTimeout(timer);
        socket.end();
        resolve(replies);
      }
    });
    socket.write(Buffer.concat(packets.map((p) => Buffer.concat([Buffer.from([p.length >> 8, p.length & 0xff]), p]))));
  });
}
