import { expect } from 'chai';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Container } from 'inversify';
import { CheckType, NullLogger, type CheckDefinitionFields, type RuntimeConfig } from '@proconsul/kernel';
import { CheckRunner } from '@proconsul/agent';
import plugin, { TcpCheckType, splitHostPort } from './index.js';

function def(fields: Record<string, unknown>): CheckDefinitionFields {
  return { CheckID: 'c', Name: 'c', IntervalMs: 10_000, TimeoutMs: 10_000, ...fields };
}
const never = new AbortController().signal;

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('checks-tcp: TcpCheckType against local sockets', () => {
  let server: net.Server;
  let addr: string;
  let accepted = 0;
  const t = new TcpCheckType();

  before(async () => {
    server = net.createServer((s) => {
      accepted++;
      s.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    addr = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  it('is passing when the connection completes', async () => {
    const before = accepted;
    expect(await t.run(def({ TCP: addr }), never)).to.deep.equal({ status: 'passing', output: `TCP connect ${addr}: Success` });
    await new Promise((r) => setTimeout(r, 20));
    expect(accepted).to.equal(before + 1);
  });

  it('is critical when refused', async () => {
    const port = await freePort();
    expect(await t.run(def({ TCP: `127.0.0.1:${port}` }), never)).to.deep.equal({
      status: 'critical',
      output: `dial tcp 127.0.0.1:${port}: connect: connection refused`,
    });
  });

  it('is critical with an i/o timeout when the probe times out mid-connect (TLS handshake never answered)', async () => {
    // Accepts TCP but never speaks TLS, so a TCP+TLS probe hangs until its signal fires.
    const mute = net.createServer(() => {});
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
    const target = `127.0.0.1:${(mute.address() as AddressInfo).port}`;
    const ac = new AbortController();
    setTimeout(() => ac.abort(new DOMException('t', 'TimeoutError')), 300);
    const started = Date.now();
    const r = await t.run(def({ TCP: target, TCPUseTLS: true }), ac.signal);
    expect(Date.now() - started).to.be.within(250, 2000);
    expect(r).to.deep.equal({ status: 'critical', output: `dial tcp ${target}: i/o timeout` });
    mute.close();
  });

  it('honours an abort at once, and a malformed address is critical', async () => {
    const ac = new AbortController();
    ac.abort(new DOMException('t', 'TimeoutError'));
    expect((await t.run(def({ TCP: '127.0.0.1:1' }), ac.signal)).output).to.equal('dial tcp 127.0.0.1:1: i/o timeout');
    expect((await t.run(def({ TCP: 'nonsense' }), never)).output).to.equal('dial tcp address nonsense: missing port in address');
  });

  it('splits host:port and [v6]:port', () => {
    expect(splitHostPort('[::1]:8080')).to.deep.equal({ host: '::1', port: 8080 });
    expect(splitHostPort('db.local:5432')).to.deep.equal({ host: 'db.local', port: 5432 });
    expect(() => splitHostPort('::1:80')).to.throw('too many colons');
  });

  it('runs under the CheckRunner when loaded as a plugin; remove() stops it', async () => {
    const c = new Container();
    c.load(plugin.createModule({}, { config: {} as RuntimeConfig, logger: new NullLogger() }));
    const updates: string[] = [];
    const runner = new CheckRunner({
      types: c.getAll<CheckType>(CheckType),
      random: () => 0,
      onUpdate: (id, s, o) => updates.push(`${id}:${s}:${o}`),
    });
    runner.add({ name: 'db', tcp: addr, interval: '1s', status: 'critical' }, 'api');
    await new Promise((r) => setTimeout(r, 200));
    expect(updates).to.deep.equal([`db:passing:TCP connect ${addr}: Success`]);
    const before = accepted;
    await runner.remove('db');
    await new Promise((r) => setTimeout(r, 1300));
    expect(accepted).to.equal(before);
  });
});
