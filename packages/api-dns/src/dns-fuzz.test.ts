import { expect } from 'chai';
import dgram from 'node:dgram';
import net from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { DnsServer } from './dns-server.js';
import { FakeDataSource } from './test-support/fake-data-source.js';
import { fuzzPackets } from './test-support/fuzz-packets.js';
import { makeHandler } from './test-support/handler-harness.js';
import { queryPacket, tcpExchange, udpExchange } from './test-support/dns-test-client.js';
import { seededRandom } from './test-support/seeded-random.js';
import { startServer } from './test-support/server-fixture.js';

// Replay a failure with DNS_FUZZ_SEED=<seed printed in the test title>.
const SEED = Number(process.env['DNS_FUZZ_SEED'] ?? 20240611);
const IN_PROCESS_COUNT = 3000;
const SOCKET_COUNT = 1500;

function catalog(): FakeDataSource {
  return new FakeDataSource()
    .addNode({ Node: 'n1', Address: '10.0.0.1', Meta: { a: 'b' } })
    .addService('n1', { Service: 'web', Port: 80 });
}

describe(`DNS fuzzing (seed ${SEED})`, function () {
  this.timeout(20000);

  it('answers every packet in-process with a well-formed reply or drops it', async () => {
    const handler = makeHandler(catalog());
    const deadline = Date.now() + 10000;
    let answered = 0;
    for (const p of fuzzPackets(seededRandom(SEED), IN_PROCESS_COUNT)) {
      if (Date.now() > deadline) break;
      const reply = await handler.answer(p, 'udp');
      if (!reply) {
        // Only what cannot be answered is dropped: no ID, or a response.
        expect(p.length < 2 || (p[2]! & 0x80) !== 0, p.toString('hex')).to.equal(true);
        continue;
      }
      answered++;
      expect(reply.readUInt16BE(0), p.toString('hex')).to.equal(p.readUInt16BE(0));
      expect(reply[2]! & 0x80).to.equal(0x80);
      expect(() => dnsPacket.decode(reply), p.toString('hex')).not.to.throw();
    }
    expect(answered).to.be.greaterThan(IN_PROCESS_COUNT / 2);
  });

  describe('over sockets', () => {
    let server: DnsServer;
    let port: number;
    before(async () => {
      ({ server, port } = await startServer(catalog(), {}, { tcpIdleTimeoutMs: 500 }));
    });
    after(async () => server.stop());

    it('survives random UDP and TCP input and still answers valid queries', async () => {
      const packets = fuzzPackets(seededRandom(SEED + 1), SOCKET_COUNT);
      const udp = dgram.createSocket('udp4');
      for (let i = 0; i < packets.length; i++) {
        udp.send(packets[i]!, port, '127.0.0.1');
        if (i % 100 === 0) await new Promise((r) => setImmediate(r));
      }
      await new Promise<void>((r) => udp.close(() => r()));

      // TCP: framed garbage, bad length prefixes, and connections cut mid-frame.
      const random = seededRandom(SEED + 2);
      await Promise.all(
        Array.from(
          { length: 20 },
          (_, c) =>
            new Promise<void>((resolve) => {
              const sock = net.connect(port, '127.0.0.1', () => {
                const chunk = packets.slice(c * 50, c * 50 + 50).map((p) => {
                  const len = random() < 0.2 ? Math.floor(random() * 0x10000) : p.length;
                  return Buffer.concat([Buffer.from([len >> 8, len & 0xff]), p]);
                });
                sock.end(Buffer.concat(chunk));
              });
              sock.on('data', () => {});
              sock.on('error', () => resolve());
              sock.on('close', () => resolve());
              setTimeout(() => {
                sock.destroy();
                resolve();
              }, 3000);
            }),
        ),
      );

      const udpReply = await udpExchange(port, queryPacket('web.service.consul', 'A'));
      expect(udpReply, 'UDP answer after fuzzing').not.to.equal(undefined);
      expect((dnsPacket.decode(udpReply!).answers![0] as { data: string }).data).to.equal('10.0.0.1');
      const [tcpReply] = await tcpExchange(port, [queryPacket('n1.node.consul', 'A')]);
      expect((dnsPacket.decode(tcpReply!).answers![0] as { data: string }).data).to.equal('10.0.0.1');
    });
  });
});
