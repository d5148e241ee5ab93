import { expect } from 'chai';
import dgram from 'node:dgram';
import { Container } from 'inversify';
import { CheckType, isCoded, NullLogger, type CheckDefinitionFields, type RuntimeConfig } from '@proconsul/kernel';
import { CheckRunner } from '@proconsul/agent';
import plugin, { UdpCheckType, splitHostPort } from './index.js';

// Loopback range reserved for the check-type suites, away from other suites' addresses.
const IP = '127.0.17.1';

function def(fields: Record<string, unknown>): CheckDefinitionFields {
  return { CheckID: 'c', Name: 'c', IntervalMs: 10_000, TimeoutMs: 10_000, ...fields };
}
const never = new AbortController().signal;
const timeoutAfter = (ms: number) => AbortSignal.timeout(ms);

async function bind(onMessage?: (s: dgram.Socket, msg: Buffer, from: dgram.RemoteInfo) => void): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  if (onMessage) s.on('message', (m, r) => onMessage(s, m, r));
  await new Promise<void>((r) => s.bind(0, IP, r));
  return s;
}
const target = (s: dgram.Socket) => `${IP}:${s.address().port}`;
const close = (s: dgram.Socket) => new Promise<void>((r) => s.close(() => r()));

/** A port nobody listens on: the kernel answers datagrams to it with ICMP port unreachable. */
async function closedPort(): Promise<string> {
  const s = await bind();
  const addr = target(s);
  await close(s);
  return addr;
}

describe('checks-udp: UdpCheckType against loopback sockets', () => {
  const t = new UdpCheckType();

  it('is passing as soon as the service answers, and the service saw a datagram', async () => {
    const seen: string[] = [];
    const echo = await bind((s, m, r) => {
      seen.push(m.toString());
      s.send(m, r.port, r.address);
    });
    const started = Date.now();
    expect(await t.run(def({ UDP: target(echo) }), timeoutAfter(5_000))).to.deep.equal({
      status: 'passing',
      output: `UDP connect ${target(echo)}: Success`,
    });
    expect(Date.now() - started).to.be.lessThan(1_000); // did not wait out the timeout
    expect(seen).to.have.length(1);
    await close(echo);
  });

  it('is passing when a listening service stays silent until the timeout (UDP services need not reply)', async () => {
    const seen: string[] = [];
    const silent = await bind((_s, m) => seen.push(m.toString()));
    const started = Date.now();
    const r = await t.run(def({ UDP: target(silent) }), timeoutAfter(300));
    expect(Date.now() - started).to.be.within(250, 2_000);
    expect(r).to.deep.equal({ status: 'passing', output: `UDP connect ${target(silent)}: Success` });
    expect(seen).to.have.length(1);
    await close(silent);
  });

  it('is critical when nothing listens (ICMP port unreachable), long before the timeout', async () => {
    const addr = await closedPort();
    const started = Date.now();
    const r = await t.run(def({ UDP: addr }), timeoutAfter(5_000));
    expect(Date.now() - started).to.be.lessThan(1_000);
    expect(r.status).to.equal('critical');
    expect(r.output).to.match(new RegExp(`^read udp [\\d.]+:\\d+->${addr.replace(/\./g, '\\.')}: read: connection refused$`));
  });

  it('is critical for an address that cannot be dialled, and for a stop before any answer', async () => {
    expect(await t.run(def({ UDP: 'nonsense' }), never)).to.deep.equal({
      status: 'critical',
      output: 'dial udp address nonsense: missing port in address',
    });
    const ac = new AbortController();
    ac.abort(new DOMException('stop', 'AbortError'));
    expect((await t.run(def({ UDP: `${IP}:9` }), ac.signal)).status).to.equal('critical');
  });

  it('refuses a malformed address at registration with a coded 400', () => {
    for (const bad of ['nonsense', '127.0.0.1', '127.0.0.1:0', '127.0.0.1:99999', '::1:53', 'udp://127.0.0.1:53']) {
      let caught: unknown;
      try {
        t.validate(def({ UDP: bad }), { source: 'api' });
      } catch (err) {
        caught = err;
      }
      expect(isCoded(caught, 'UDP_ADDRESS_INVALID'), bad).to.equal(true);
      expect((caught as { statusCode: number }).statusCode).to.equal(400);
    }
    expect(() => t.validate(def({ UDP: '[::1]:53' }), { source: 'api' })).not.to.throw();
    expect(splitHostPort(':53')).to.deep.equal({ host: '127.0.0.1', port: 53 });
  });

  it('under the CheckRunner follows the service: passing, critical once it goes away, passing when it is back', async function () {
    this.timeout(15_000);
    const c = new Container();
    c.load(plugin.createModule({}, { config: {} as RuntimeConfig, logger: new NullLogger() }));
    const updates: string[] = [];
    const runner = new CheckRunner({
      types: c.getAll<CheckType>(CheckType),
      random: () => 0,
      onUpdate: (_id, s) => updates.push(s),
    });
    let echo = await bind((s, m, r) => s.send(m, r.port, r.address));
    const port = echo.address().port;
    const until = async (want: string) => {
      const t0 = Date.now();
      while (updates.at(-1) !== want) {
        if (Date.now() - t0 > 5_000) throw new Error(`no ${want} within 5s: ${updates.join(',')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    runner.add({ name: 'dns', udp: `${IP}:${port}`, interval: '1s', timeout: '500ms', status: 'critical' }, 'api');
    await until('passing');
    await close(echo);
    await until('critical');
    echo = dgram.createSocket('udp4');
    echo.on('message', (m, r) => echo.send(m, r.port, r.address));
    await new Promise<void>((r) => echo.bind(port, IP, r));
    await until('passing');
    await runner.remove('dns');
    await close(echo);
    expect(updates).to.deep.equal(['passing', 'critical', 'passing']);
  });
});
