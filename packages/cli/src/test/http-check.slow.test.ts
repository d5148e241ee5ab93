import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import { startCli, waitForHttp, type RunningAgent } from './agent-runner.js';

/** Issue 7's acceptance: an HTTP check follows its server going away and coming back. */
describe('HTTP health check through a real agent', function () {
  this.timeout(60_000);
  const ip = '127.0.10.1';
  const api = `http://${ip}:8500`;
  let agent: RunningAgent | undefined;
  let server: Server | undefined;
  afterEach(() => {
    agent?.child.kill('SIGKILL');
    server?.close();
  });

  const listen = () =>
    new Promise<Server>((resolve) => {
      const s = createServer((_req, res) => res.end('ok'));
      s.listen(18880, ip, () => resolve(s));
    });

  async function statusWithin(want: string, ms: number): Promise<number> {
    const t0 = Date.now();
    while (Date.now() - t0 < ms) {
      const checks = (await (await fetch(`${api}/v1/health/checks/web`)).json()) as { CheckID: string; Status: string }[];
      if (checks.find((c) => c.CheckID === 'web-http')?.Status === want) return Date.now() - t0;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`check did not become ${want} within ${ms}ms`);
  }

  it('turns critical within interval + timeout after its server stops, and passing again after it restarts', async () => {
    server = await listen();
    agent = startCli(['agent', '-dev', '-bind', ip, '-client', ip, '-dns-port', '-1', '-node', 'checked']);
    await waitForHttp(`${api}/v1/agent/self`);
    const reg = await fetch(`${api}/v1/agent/service/register`, {
      method: 'PUT',
      body: JSON.stringify({
        Name: 'web',
        Port: 18880,
        Check: { CheckID: 'web-http', HTTP: `http://${ip}:18880/health`, Interval: '1s', Timeout: '1s' },
      }),
    });
    expect(reg.status).to.equal(200);
    await statusWithin('passing', 15_000);
    await new Promise<void>((r) => server!.close(() => r()));
    server.closeAllConnections();
    // interval 1s + timeout 1s, plus one anti-entropy hop to the catalog
    const tookDown = await statusWithin('critical', 5_000);
    expect(tookDown).to.be.lessThan(5_000);
    server = await listen();
    await statusWithin('passing', 5_000);
  });
});
