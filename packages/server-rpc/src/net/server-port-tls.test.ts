import { connect as netConnect } from 'node:net';
import { connect as tlsConnect, createSecureContext } from 'node:tls';
import { expect } from 'chai';
import { isCoded, NullLogger, type Logger } from '@proconsul/kernel';
import { createAgentCert, createCa, type CertificateAndKey } from '@proconsul/tls';
import { ServerPort } from './server-port.js';
import { TcpServerRpc } from './tcp-server-rpc.js';
import { PortRaftStreams } from './port-raft-streams.js';
import { encodeFrame, PROTO_RAFT, PROTO_TLS } from './framing.js';
import { NO_TLS, type ServerPortTls, type ServerPortTlsState } from './server-tls.js';

/** Keeps warn lines so a test can check that a refusal was logged once, naming the peer. */
class CaptureLogger implements Logger {
  readonly warnings: string[] = [];
  trace(): void {}
  debug(): void {}
  info(): void {}
  error(): void {}
  warn(msg: string): void {
    this.warnings.push(msg);
  }
  named(): Logger {
    return this;
  }
}

const SERVER_NAME = 'server.dc1.consul';
const DAY = 86_400_000;

interface Pki {
  ca: CertificateAndKey;
  server: CertificateAndKey;
  client: CertificateAndKey;
}

async function pki(): Promise<Pki> {
  const ca = await createCa();
  const [server, client] = await Promise.all([
    createAgentCert({ ca, kind: 'server', datacenter: 'dc1' }),
    createAgentCert({ ca, kind: 'client', datacenter: 'dc1' }),
  ]);
  return { ca, server, client };
}

/** The settings an agent holding `leaf` (signed by `ca`) would have with all three verify flags on. */
function strict(ca: CertificateAndKey, leaf: CertificateAndKey | undefined, over: Partial<ServerPortTlsState> = {}) {
  const material = { ca: ca.cert, ...(leaf && { cert: leaf.cert, key: leaf.key }) };
  const state: ServerPortTlsState = {
    serverOptions: leaf && material,
    clientContext: createSecureContext(material),
    verifyIncoming: true,
    verifyOutgoing: true,
    serverName: SERVER_NAME,
    ...over,
  };
  return { current: () => state } satisfies ServerPortTls;
}

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return cond();
};

describe('server port with mutual TLS (127.0.0.1)', function () {
  this.timeout(20_000);
  let p: Pki;
  let other: Pki; // a second CA: "wrong CA"
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  const cleanups: (() => Promise<void> | void)[] = [];

  before(async () => {
    [p, other] = await Promise.all([pki(), pki()]);
    process.on('unhandledRejection', onUnhandled);
  });
  after(() => {
    process.off('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
    expect(unhandled, 'no unhandled rejections').to.deep.equal([]);
  });

  async function server(tls: ServerPortTls, log: Logger = new NullLogger()) {
    const port = new ServerPort(log);
    port.tls = tls;
    const rpc = new TcpServerRpc(port, log);
    rpc.setHandler(async (method, body) => ({ method, body }));
    const addr = `127.0.0.1:${await port.listen('127.0.0.1', 0)}`;
    cleanups.push(() => port.close());
    return { port, addr };
  }

  function client(tls: ServerPortTls) {
    const rpc = new TcpServerRpc(undefined, new NullLogger());
    rpc.tls = tls;
    cleanups.push(() => rpc.close());
    return rpc;
  }

  it('serves RPC over mutual TLS to a client certificate, and raft between server certificates', async () => {
    const s = await server(strict(p.ca, p.server));
    expect(await client(strict(p.ca, p.client)).call(s.addr, 'echo', 1)).to.deep.equal({ method: 'echo', body: 1 });

    const got: unknown[] = [];
    new PortRaftStreams(s.port).setRaftReceiver((m) => got.push(m));
    const dialer = new ServerPort(new NullLogger());
    dialer.tls = strict(p.ca, p.server);
    const closes: unknown[] = [];
    const stream = new PortRaftStreams(dialer).dialRaft(s.addr, (why) => closes.push(why), 1 << 20);
    cleanups.push(() => stream.close());
    const msg = { type: 'append', term: 7, entries: [{ index: 1, data: Buffer.from('x') }] };
    expect(stream.write(msg)).to.equal(true);
    expect(await until(() => got.length === 1)).to.equal(true);
    expect(got[0]).to.deep.equal(msg);
    expect(closes).to.deep.equal([]);
  });

  it('refuses plain TCP when verify_incoming is on, telling an RPC caller why, with one log line naming the peer', async () => {
    const log = new CaptureLogger();
    const s = await server(strict(p.ca, p.server), log);
    const err = await client(NO_TLS)
      .call(s.addr, 'echo', 1, 3000)
      .catch((e: unknown) => e);
    expect(isCoded(err, 'RPC_TLS_REQUIRED'), String(err)).to.equal(true);
    expect((err as Error).message).to.match(/verify_incoming requires TLS/);
    expect(log.warnings).to.have.length(1);
    expect(log.warnings[0]).to.match(/^refused server-port connection from 127\.0\.0\.1:\d+: plaintext connection/);
  });

  it('refuses TLS on a port without a certificate, and the dialer says the handshake failed', async () => {
    const log = new CaptureLogger();
    const s = await server(NO_TLS, log);
    const err = await client(strict(p.ca, p.client))
      .call(s.addr, 'echo', 1, 3000)
      .catch((e: unknown) => e);
    expect(isCoded(err, 'RPC_CONNECT_FAILED'), String(err)).to.equal(true);
    expect((err as Error).message).to.contain(`cannot reach ${s.addr}: TLS handshake with ${s.addr} failed`);
    expect(log.warnings.join('\n')).to.match(/from 127\.0\.0\.1:\d+: TLS connection but this server has no TLS certificate/);
  });

  it('refuses an expired client certificate and an expired server certificate', async () => {
    const past = { notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) };
    const [oldClient, oldServer] = await Promise.all([
      createAgentCert({ ca: p.ca, kind: 'client', datacenter: 'dc1', ...past }),
      createAgentCert({ ca: p.ca, kind: 'server', datacenter: 'dc1', ...past }),
    ]);
    const log = new CaptureLogger();
    const s = await server(strict(p.ca, p.server), log);
    const err = await client(strict(p.ca, oldClient))
      .call(s.addr, 'echo', 1, 3000)
      .catch((e: unknown) => e);
    expect(isCoded(err, 'RPC_CONNECT_FAILED'), String(err)).to.equal(true);
    expect(await until(() => log.warnings.length > 0)).to.equal(true);
    expect(log.warnings[0]).to.match(/from 127\.0\.0\.1:\d+: client certificate rejected: CERT_HAS_EXPIRED/);

    const expired = await server(strict(p.ca, oldServer));
    const err2 = await client(strict(p.ca, p.client))
      .call(expired.addr, 'echo', 1, 3000)
      .catch((e: unknown) => e);
    expect((err2 as Error).message).to.contain(`TLS handshake with ${expired.addr} failed: certificate has expired`);
  });

  it('refuses a certificate from another CA, both ways', async () => {
    const log = new CaptureLogger();
    const s = await server(strict(p.ca, p.server), log);
    // Our client trusts the right CA but presents a certificate from another one.
    const mixed = createSecureContext({ ca: p.ca.cert, cert: other.client.cert, key: other.client.key });
    const err = await client(strict(p.ca, p.client, { clientContext: mixed }))
      .call(s.addr, 'echo', 1, 3000)
      .catch((e: unknown) => e);
    expect(isCoded(err, 'RPC_CONNECT_FAILED'), String(err)).to.equal(true);
    expect(await until(() => log.warnings.length > 0)).to.equal(true);
    expect(log.warnings[0]).to.match(/client certificate rejected: UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to verify/i);

    const foreign = await server(strict(other.ca, other.server));
    const err2 = await client(strict(p.ca, p.client))
      .call(foreign.addr, 'echo', 1, 3000)
      .catch((e: unknown) => e);
    expect((err2 as Error).message).to.contain(`TLS handshake with ${foreign.addr} failed: `);
    expect((err2 as Error).message).to.match(/self-signed certificate in certificate chain|unable to verify/);
  });

  it('a raft stream to a server of another CA closes once, flagged as a TLS failure, and accepts no more messages', async () => {
    const foreign = await server(strict(other.ca, other.server));
    const dialer = new ServerPort(new NullLogger());
    dialer.tls = strict(p.ca, p.server);
    const closes: { error: Error; tls: boolean }[] = [];
    const stream = new PortRaftStreams(dialer).dialRaft(foreign.addr, (why) => closes.push(why!), 1 << 20);
    expect(stream.write({ type: 'vote', term: 1 })).to.equal(true); // queued while connecting
    expect(await until(() => stream.closed)).to.equal(true);
    expect(closes).to.have.length(1);
    expect(closes[0]!.tls).to.equal(true);
    expect(closes[0]!.error.message).to.contain(`TLS handshake with ${foreign.addr} failed`);
    expect(stream.write({ type: 'vote', term: 2 })).to.equal(false);
  });

  it('with verify_server_hostname the dialer refuses a server holding only a client certificate', async () => {
    const s = await server(strict(p.ca, p.client));
    const err = await client(strict(p.ca, p.client))
      .call(s.addr, 'echo', 1, 3000)
      .catch((e: unknown) => e);
    expect((err as Error).message).to.contain(`TLS handshake with ${s.addr} failed: certificate is not valid for ${SERVER_NAME}`);
    // Without verify_server_hostname only the chain counts, as in Consul.
    const loose = strict(p.ca, p.client, { serverName: undefined });
    expect(await client(loose).call(s.addr, 'echo', 2, 3000)).to.deep.equal({ method: 'echo', body: 2 });
  });

  it('a client certificate signed by the same CA cannot speak raft or call server-only RPC', async () => {
    const log = new CaptureLogger();
    const s = await server(strict(p.ca, p.server), log);
    const got: unknown[] = [];
    s.port.raftReceiver = (m) => got.push(m);

    // Raw TLS with a client certificate, then the raft byte and a frame.
    const [host, port] = [s.addr.split(':')[0]!, Number(s.addr.split(':')[1])];
    const closed = await new Promise<boolean>((resolve) => {
      const raw = netConnect({ host, port }, () => {
        raw.write(Buffer.of(PROTO_TLS));
        const t = tlsConnect({
          socket: raw,
          ca: p.ca.cert,
          cert: p.client.cert,
          key: p.client.key,
          checkServerIdentity: () => undefined,
        });
        t.on('secureConnect', () => t.write(Buffer.concat([Buffer.of(PROTO_RAFT), encodeFrame({ type: 'append', term: 99 })])));
        t.on('error', () => {});
        t.on('close', () => resolve(true));
      });
      raw.on('error', () => {});
    });
    expect(closed).to.equal(true);
    expect(got).to.deep.equal([]);
    expect(log.warnings.join('\n')).to.match(
      /from 127\.0\.0\.1:\d+: raft refused: certificate is not valid for server\.dc1\.consul/,
    );

    const c = client(strict(p.ca, p.client));
    const err = await c.call(s.addr, 'Call', { name: 'Operator.ServerStats', args: {} }, 3000).catch((e: unknown) => e);
    expect(isCoded(err, 'RPC_SERVER_ONLY'), String(err)).to.equal(true);
    // Ordinary client RPC on the same connection still works.
    expect(await c.call(s.addr, 'Read', 1, 3000)).to.deep.equal({ method: 'Read', body: 1 });
    // And a server certificate may call it.
    const peer = await client(strict(p.ca, p.server)).call(s.addr, 'Call', { name: 'Operator.ServerStats', args: {} });
    expect(peer).to.deep.equal({ method: 'Call', body: { name: 'Operator.ServerStats', args: {} } });
  });

  it('garbage after the TLS byte, or a hang-up mid-handshake, is refused naming the peer without disturbing the listener', async () => {
    const log = new CaptureLogger();
    const s = await server(strict(p.ca, p.server), log);
    const [host, port] = [s.addr.split(':')[0]!, Number(s.addr.split(':')[1])];
    await new Promise<void>((resolve) => {
      const raw = netConnect({ host, port }, () => raw.end(Buffer.from([PROTO_TLS, 1, 2, 3, 4, 5, 6, 7, 8, 9])));
      raw.on('error', () => {});
      raw.on('close', () => resolve());
    });
    expect(await until(() => log.warnings.some((w) => w.includes('TLS handshake failed')))).to.equal(true);
    expect(log.warnings[0]).to.match(
      /^refused server-port connection from 127\.0\.0\.1:\d+: TLS handshake failed: wrong version number/,
    );
    // A peer hanging up mid-handshake is named too (its TLS socket no longer knows the address).
    await new Promise<void>((resolve) => {
      const raw = netConnect({ host, port }, () => raw.end(Buffer.of(PROTO_TLS)));
      raw.on('error', () => {});
      raw.on('close', () => resolve());
    });
    expect(await until(() => log.warnings.length === 2)).to.equal(true);
    expect(log.warnings[1]).to.match(
      /^refused server-port connection from 127\.0\.0\.1:\d+: TLS handshake failed: the peer closed/,
    );
    expect(await client(strict(p.ca, p.client)).call(s.addr, 'echo', 3)).to.deep.equal({ method: 'echo', body: 3 });
  });

  it('a reload applies to new connections while established ones keep working', async () => {
    let state = strict(p.ca, p.server).current();
    const s = await server({ current: () => state });
    let clientState = strict(p.ca, p.client).current();
    const c = client({ current: () => clientState });
    expect(await c.call(s.addr, 'echo', 'before')).to.deep.equal({ method: 'echo', body: 'before' });

    // Rotate both sides to a new CA: the pooled connection (old certificates) still works...
    state = strict(other.ca, other.server).current();
    clientState = strict(other.ca, other.client).current();
    expect(await c.call(s.addr, 'echo', 'pooled')).to.deep.equal({ method: 'echo', body: 'pooled' });
    // ...a new client with the new certificates is accepted, one with the old ones is not.
    expect(await client(strict(other.ca, other.client)).call(s.addr, 'echo', 'new')).to.deep.equal({
      method: 'echo',
      body: 'new',
    });
    const stale = await client(strict(p.ca, p.client))
      .call(s.addr, 'echo', 'old', 3000)
      .catch((e: unknown) => e);
    expect(isCoded(stale, 'RPC_CONNECT_FAILED')).to.equal(true);
  });
});
