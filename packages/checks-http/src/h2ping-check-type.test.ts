import { expect } from 'chai';
import http2 from 'node:http2';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Container } from 'inversify';
import { CheckType, isCoded, NullLogger, type CheckDefinitionFields, type RuntimeConfig } from '@proconsul/kernel';
import { createAgentCert, createCa } from '@proconsul/tls';
import { CheckRunner } from '@proconsul/agent';
import plugin, { H2PingCheckType } from './index.js';

// Loopback range reserved for the check-type suites, away from other suites' addresses.
const IP = '127.0.17.2';

function def(fields: Record<string, unknown>): CheckDefinitionFields {
  return { CheckID: 'c', Name: 'c', IntervalMs: 10_000, TimeoutMs: 10_000, ...fields };
}
const within = (ms: number) => AbortSignal.timeout(ms);

function listen(server: net.Server, port = 0): Promise<string> {
  return new Promise((resolve) => server.listen(port, IP, () => resolve(`${IP}:${(server.address() as AddressInfo).port}`)));
}
function shut(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('checks-http: H2PingCheckType against loopback HTTP/2 servers', () => {
  const t = new H2PingCheckType();
  let ca: { cert: string; key: string };
  let tlsServer: http2.Http2SecureServer;
  let tlsAddr: string;
  let pings = 0;

  before(async () => {
    ca = await createCa();
    // A server certificate of the agent kind: valid for server.dc1.consul, localhost and 127.0.17.2.
    const leaf = await createAgentCert({ ca, kind: 'server', additionalIpAddresses: [IP] });
    tlsServer = http2.createSecureServer({ key: leaf.key, cert: leaf.cert });
    tlsServer.on('session', (s) => s.on('ping', () => pings++));
    tlsAddr = await listen(tlsServer);
  });
  after(() => shut(tlsServer));

  it('is passing over TLS (the default) when the PING is acknowledged; verification on by default', async () => {
    const before = pings;
    // The CA is not in Node's trust store, so a verified dial fails…
    const unverified = await t.run(def({ H2PING: tlsAddr }), within(5_000));
    expect(unverified.status).to.equal('critical');
    expect(unverified.output).to.match(new RegExp(`^Failed to dial to ${tlsAddr}: .*certificate`, 'i'));
    // …and with tls_skip_verify the same server passes.
    expect(await t.run(def({ H2PING: tlsAddr, TLSSkipVerify: true }), within(5_000))).to.deep.equal({
      status: 'passing',
      output: 'HTTP2 ping was successful',
    });
    expect(pings).to.equal(before + 1);
  });

  it('sends TLSServerName as SNI', async () => {
    let sni: string | undefined;
    const onSecure = (s: { servername?: string | false }) => (sni = s.servername || undefined);
    tlsServer.on('secureConnection', onSecure);
    await t.run(def({ H2PING: tlsAddr, TLSSkipVerify: true, TLSServerName: 'server.dc1.consul' }), within(5_000));
    tlsServer.off('secureConnection', onSecure);
    expect(sni).to.equal('server.dc1.consul');
  });

  it('speaks cleartext h2c with H2PingUseTLS false, and is critical against a TLS-less peer when TLS is on', async () => {
    const h2c = http2.createServer();
    const addr = await listen(h2c);
    expect(await t.run(def({ H2PING: addr, H2PingUseTLS: false }), within(5_000))).to.deep.equal({
      status: 'passing',
      output: 'HTTP2 ping was successful',
    });
    const r = await t.run(def({ H2PING: addr }), within(2_000)); // TLS to a cleartext server
    expect(r.status).to.equal('critical');
    expect(r.output).to.match(new RegExp(`^Failed to dial to ${addr}: `));
    await shut(h2c);
  });

  it('is critical when refused, and at the timeout when the peer never speaks HTTP/2', async () => {
    const gone = net.createServer();
    const closed = await listen(gone);
    await shut(gone);
    expect(await t.run(def({ H2PING: closed, H2PingUseTLS: false }), within(5_000))).to.deep.equal({
      status: 'critical',
      output: `Failed to dial to ${closed}: dial tcp ${closed}: connect: connection refused`,
    });
    // Accepts TCP, never answers a byte: the check must end at the timeout, not hang.
    const mute = net.createServer(() => {});
    const addr = await listen(mute);
    const started = Date.now();
    const r = await t.run(def({ H2PING: addr, H2PingUseTLS: false }), within(300));
    expect(Date.now() - started).to.be.within(250, 2_000);
    expect(r.status).to.equal('critical');
    expect(r.output).to.match(/context deadline exceeded$/);
    mute.close();
  });

  it('refuses a malformed address (a URL, no port) at registration with a coded 400', () => {
    for (const bad of ['https://127.0.0.1:443', 'localhost', '127.0.0.1:x']) {
      let caught: unknown;
      try {
        t.validate(def({ H2PING: bad }), { source: 'config' });
      } catch (err) {
        caught = err;
      }
      expect(isCoded(caught, 'H2PING_ADDRESS_INVALID'), bad).to.equal(true);
    }
  });

  it('under the CheckRunner follows an h2c server: passing, critical when it stops, passing when it is back', async function () {
    this.timeout(15_000);
    const c = new Container();
    c.load(plugin.createModule({}, { config: {} as RuntimeConfig, logger: new NullLogger() }));
    const updates: string[] = [];
    const runner = new CheckRunner({
      types: c.getAll<CheckType>(CheckType),
      random: () => 0,
      onUpdate: (_id, s) => updates.push(s),
    });
    let h2c = http2.createServer();
    const addr = await listen(h2c);
    const port = Number(addr.split(':')[1]);
    const until = async (want: string) => {
      const t0 = Date.now();
      while (updates.at(-1) !== want) {
        if (Date.now() - t0 > 5_000) throw new Error(`no ${want} within 5s: ${updates.join(',')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    runner.add({ name: 'grpc-h2', h2ping: addr, h2ping_use_tls: false, interval: '1s', timeout: '500ms' }, 'config');
    await until('passing');
    await shut(h2c);
    await until('critical');
    h2c = http2.createServer();
    await listen(h2c, port);
    await until('passing');
    await runner.remove('grpc-h2');
    await shut(h2c);
    expect(updates).to.deep.equal(['passing', 'critical', 'passing']);
  });
});
