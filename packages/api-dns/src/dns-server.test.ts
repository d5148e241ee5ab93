import { expect } from 'chai';
import net from 'node:net';
import * as dnsPacket from 'dns-packet';
import { Container } from 'inversify';
import { ApiFrontend, Lifecycle, Logger, NullLogger, RuntimeConfig } from '@proconsul/kernel';
import plugin from './index.js';
import { DnsDataSource } from './dns-data-source.js';
import { DnsServer } from './dns-server.js';
import { FakeDataSource } from './test-support/fake-data-source.js';
import { queryPacket, tcpExchange, udpExchange } from './test-support/dns-test-client.js';
import { startServer } from './test-support/server-fixture.js';
import { testRuntimeConfig } from './test-support/test-config.js';

function catalog(): FakeDataSource {
  const s = new FakeDataSource().addNode({ Node: 'web1', Address: '10.0.0.1' }).addNode({ Node: 'web2', Address: '10.0.0.2' });
  s.addService('web1', { Service: 'web', Port: 80 }).addService('web2', { Service: 'web', Port: 80 });
  return s;
}

describe('DnsServer over sockets', () => {
  let server: DnsServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('answers over UDP and TCP on the same port', async () => {
    const started = await startServer(catalog());
    server = started.server;
    const udp = dnsPacket.decode((await udpExchange(started.port, queryPacket('web1.node.consul', 'A')))!);
    expect(udp.answers!.map((a) => (a as { data: string }).data)).to.deep.equal(['10.0.0.1']);
    const [tcp] = await tcpExchange(started.port, [queryPacket('web.service.consul', 'SRV')]);
    expect(dnsPacket.decode(tcp!).answers).to.have.length(2);
  });

  it('answers several pipelined queries on one TCP connection, matched by ID', async () => {
    const started = await startServer(catalog());
    server = started.server;
    const queries = [1, 2, 3, 4, 5].map((id) => queryPacket(id % 2 ? 'web1.node.consul' : 'web2.node.consul', 'A', { id }));
    const replies = (await tcpExchange(started.port, queries)).map((r) => dnsPacket.decode(r));
    expect(replies.map((r) => r.id).sort()).to.deep.equal([1, 2, 3, 4, 5]);
    for (const r of replies) {
      const want = r.id! % 2 ? '10.0.0.1' : '10.0.0.2';
      expect((r.answers![0] as { data: string }).data).to.equal(want);
    }
  });

  it('reassembles a query split across TCP segments', async () => {
    const started = await startServer(catalog());
    server = started.server;
    const q = queryPacket('web1.node.consul', 'A', { id: 99 });
    const framed = Buffer.concat([Buffer.from([0, q.length]), q]);
    const reply = await new Promise<Buffer>((resolve, reject) => {
      const sock = net.connect(started.port, '127.0.0.1', async () => {
        for (const b of framed) {
          sock.write(Buffer.from([b]));
          await new Promise((r) => setImmediate(r));
        }
      });
      sock.on('data', (d) => {
        sock.destroy();
        resolve(d.subarray(2));
      });
      sock.on('error', reject);
    });
    expect(dnsPacket.decode(reply).id).to.equal(99);
  });

  it('closes idle TCP connections', async () => {
    const started = await startServer(catalog(), {}, { tcpIdleTimeoutMs: 100 });
    server = started.server;
    const closedAfter = await new Promise<number>((resolve) => {
      const t0 = Date.now();
      const sock = net.connect(started.port, '127.0.0.1');
      sock.on('close', () => resolve(Date.now() - t0));
      sock.on('error', () => {});
      setTimeout(() => sock.destroy(), 3000);
    });
    expect(closedAfter).to.be.below(2000);
  });

  it('does not listen when ports.dns is -1', async () => {
    server = new DnsServer(catalog(), testRuntimeConfig({ dnsPort: -1 }), new NullLogger());
    await server.start();
    expect(server.addresses()).to.deep.equal([]);
  });

  it('reports a coded error when the port is taken', async () => {
    const started = await startServer(catalog());
    server = started.server;
    const second = new DnsServer(catalog(), testRuntimeConfig({ dnsPort: started.port }), new NullLogger());
    const err = await second.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.have.property('code', 'DNS_LISTEN_FAILED');
    expect(second.addresses()).to.deep.equal([]);
  });

  it('plugs into a container: one DnsServer bound as ApiFrontend and Lifecycle', async () => {
    expect(plugin.manifest).to.include({ name: 'api-dns' });
    expect(plugin.manifest.provides).to.deep.equal(['api-frontend']);
    const container = new Container();
    const config = testRuntimeConfig({ dnsPort: 0 });
    container.bind(RuntimeConfig).toConstantValue(config);
    container.bind(Logger).toConstantValue(new NullLogger());
    container.bind(DnsDataSource).toConstantValue(catalog());
    container.load(plugin.createModule({}, { config, logger: new NullLogger() }));
    const frontend = container.get<ApiFrontend>(ApiFrontend);
    const lifecycle = container.get<Lifecycle>(Lifecycle);
    expect(frontend).to.equal(lifecycle);
    expect(frontend.protocol).to.equal('dns');
    await lifecycle.configure?.();
    await lifecycle.start?.();
    server = frontend as DnsServer;
    const [address] = frontend.addresses();
    const port = Number(address!.split(':')[1]);
    const reply = await udpExchange(port, queryPacket('web2.node.consul', 'A'));
    expect((dnsPacket.decode(reply!).answers![0] as { data: string }).data).to.equal('10.0.0.2');
  });
});
