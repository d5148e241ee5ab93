import { expect } from 'chai';
import dgram from 'node:dgram';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { importPlugin, type ProconsulPlugin } from '@proconsul/kernel';
import { buildRuntimeConfig } from '@proconsul/config';
import { repoRoot } from '@proconsul/kernel/testing';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

// Loopback range reserved for the check-type suites, away from other suites' addresses.
const IP = '127.0.17.3';

/** The default plugins that provide udp (checks-udp) and h2ping (checks-http), resolved as plugins.json resolves them. */
async function checkPlugins(): Promise<ProconsulPlugin[]> {
  const file = join(repoRoot(), 'plugins.json');
  return [await importPlugin('@proconsul/checks-udp', file), await importPlugin('@proconsul/checks-http', file)];
}

type Checks = Record<string, { Status: string; Output: string; Type: string; Definition: Record<string, unknown> }>;

describe('/v1/agent/check/register with udp and h2ping checks', function () {
  this.timeout(20_000);
  let a: InProcessAgent | undefined;
  let udp: dgram.Socket | undefined;
  let h2c: http2.Http2Server | undefined;
  afterEach(async () => {
    await a?.stop();
    a = undefined;
    udp?.close();
    udp = undefined;
    await new Promise<void>((r) => (h2c ? h2c.close(() => r()) : r()));
    h2c = undefined;
  });
  const put = (url: string, body: object) => a!.http({ method: 'PUT', url, body });
  const checks = async () => (await a!.http('/v1/agent/checks')).json<Checks>();
  async function statusOf(id: string, want: string): Promise<Checks[string]> {
    const t0 = Date.now();
    for (;;) {
      const c = (await checks())[id];
      if (c?.Status === want) return c;
      if (Date.now() - t0 > 8_000) throw new Error(`${id} not ${want} within 8s: ${JSON.stringify(c)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const echoServer = async () => {
    const s = dgram.createSocket('udp4');
    s.on('message', (m, r) => s.send(m, r.port, r.address));
    await new Promise<void>((r) => s.bind(0, IP, r));
    return s;
  };
  const h2cServer = async () => {
    const s = http2.createServer();
    await new Promise<void>((r) => s.listen(0, IP, r));
    return s;
  };

  it('runs a UDP check registered with Consul JSON names and reports it in /v1/agent/checks', async () => {
    a = await startInProcessAgent({}, { plugins: await checkPlugins() });
    udp = await echoServer();
    const target = `${IP}:${udp.address().port}`;
    const res = await put('/v1/agent/check/register', { Name: 'dns', UDP: target, Interval: '1s', Timeout: '500ms' });
    expect(res.status).to.equal(200);
    const c = await statusOf('dns', 'passing');
    expect(c).to.include({ Type: 'udp', Output: `UDP connect ${target}: Success` });
    expect(c.Definition).to.include({ UDP: target, Interval: '1s', Timeout: '500ms' });
    // The service goes away: the next probe meets ICMP port unreachable.
    await new Promise<void>((r) => udp!.close(() => r()));
    udp = undefined;
    expect((await statusOf('dns', 'critical')).Output).to.match(/connection refused$/);
  });

  it('runs an h2ping check (H2PingUseTLS false) and reports it in /v1/agent/checks', async () => {
    a = await startInProcessAgent({}, { plugins: await checkPlugins() });
    h2c = await h2cServer();
    const target = `${IP}:${(h2c.address() as AddressInfo).port}`;
    const res = await put('/v1/agent/check/register', { Name: 'h2', H2PING: target, H2PingUseTLS: false, Interval: '1s' });
    expect(res.status).to.equal(200);
    const c = await statusOf('h2', 'passing');
    expect(c).to.include({ Type: 'h2ping', Output: 'HTTP2 ping was successful' });
    expect(c.Definition).to.include({ H2PING: target, H2PingUseTLS: false });
    await new Promise<void>((r) => h2c!.close(() => r()));
    h2c = undefined;
    expect((await statusOf('h2', 'critical')).Output).to.match(/^Failed to dial to .*connection refused$/);
  });

  it('refuses bad udp/h2ping definitions with a 400 naming the problem, and registers nothing', async () => {
    a = await startInProcessAgent({}, { plugins: await checkPlugins() });
    const cases: [object, RegExp][] = [
      [{ Name: 'u', UDP: 'no-port', Interval: '1s' }, /UDP must be "host:port".*missing port/],
      [{ Name: 'u', UDP: '127.0.0.1:70000', Interval: '1s' }, /UDP must be "host:port".*invalid port/],
      [{ Name: 'u', UDP: '127.0.0.1:53' }, /Interval must be > 0/],
      [{ Name: 'h', H2PING: 'https://127.0.0.1:8443', Interval: '1s' }, /H2PING must be "host:port"/],
      [{ Name: 'h', H2PING: '127.0.0.1:8443' }, /Interval must be > 0/],
      [
        { Name: 'h', H2PING: '127.0.0.1:8443', H2PingUseTLS: 'yes', Interval: '1s' },
        /h2ping check: .*H2PingUseTLS must be boolean/,
      ],
    ];
    for (const [body, reason] of cases) {
      const res = await put('/v1/agent/check/register', body);
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.text, JSON.stringify(body)).to.match(reason);
    }
    expect(await checks()).to.deep.equal({});
  });

  it('loads udp and h2ping checks from a config file\'s "check" and "checks" blocks (snake_case keys)', async () => {
    udp = await echoServer();
    h2c = await h2cServer();
    const udpTarget = `${IP}:${udp.address().port}`;
    const h2Target = `${IP}:${(h2c.address() as AddressInfo).port}`;
    const fromFile = buildRuntimeConfig({
      dev: true,
      sources: [
        {
          name: 'checks.json',
          data: {
            check: { id: 'cfg-udp', name: 'cfg udp', udp: udpTarget, interval: '1s', timeout: '300ms' },
            checks: [{ id: 'cfg-h2', name: 'cfg h2', h2ping: h2Target, h2ping_use_tls: false, interval: '1s' }],
          },
        },
      ],
      warn: () => {},
    });
    a = await startInProcessAgent({ checks: fromFile.checks }, { plugins: await checkPlugins() });
    expect((await statusOf('cfg-udp', 'passing')).Type).to.equal('udp');
    expect((await statusOf('cfg-h2', 'passing')).Type).to.equal('h2ping');
  });
});
