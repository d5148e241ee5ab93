/**
 * `proconsul template` follows its reads over `/v1/stream` (127.0.82.1): an HTTP proxy between
 * it and a real dev agent records every request, showing that changes re-render without a
 * single blocking query (`?index=`); and, with the proxy answering 404 for `/v1/stream` as an
 * agent without change streams would, that it falls back to blocking queries.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, waitForHttp, type RunningAgent } from './agent-runner.js';

const IP = '127.0.82.1';
const AGENT_HTTP = 8621;
const url = (path: string) => `http://${IP}:${AGENT_HTTP}${path}`;

async function put(path: string, body: unknown): Promise<void> {
  const r = await fetch(url(path), { method: 'PUT', body: typeof body === 'string' ? body : JSON.stringify(body) });
  expect(r.status, `${path}: ${await r.clone().text()}`).to.equal(200);
}

async function until(what: string, ok: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Forwards to the agent, streaming bodies through, and records each request line. */
class RecordingProxy {
  readonly seen: string[] = [];
  refuseStreams = false;
  private readonly server: Server = createServer((req, res) => {
    this.seen.push(`${req.method} ${req.url}`);
    if (this.refuseStreams && req.url?.startsWith('/v1/stream')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 page not found');
      return;
    }
    const up = request({ host: IP, port: AGENT_HTTP, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    res.on('close', () => up.destroy());
    req.pipe(up);
  });

  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, IP, r));
    return `${IP}:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

describe('proconsul template driven by /v1/stream', function () {
  this.timeout(90_000);
  let agent: RunningAgent;
  const dir = mkdtempSync(join(tmpdir(), 'pc-template-stream-'));

  before(async () => {
    agent = startCli([
      'agent',
      '-dev',
      '-bind',
      IP,
      '-client',
      IP,
      '-http-port',
      String(AGENT_HTTP),
      '-dns-port',
      '-1',
      '-serf-lan-port',
      '8622',
      '-serf-wan-port',
      '8623',
      '-server-port',
      '8624',
      '-node',
      'stream-tmpl',
    ]);
    await waitForHttp(url('/v1/status/leader'));
    await until('a leader', () => true);
    await put('/v1/kv/cfg/k', '1');
  });

  after(() => agent?.child.kill('SIGKILL'));

  async function run(template: string, proxy: RecordingProxy, name: string) {
    const src = join(dir, `${name}.ctmpl`);
    const out = join(dir, `${name}.out`);
    writeFileSync(src, template);
    const t = startCli(['template', `-http-addr=${await proxy.listen()}`, '-template', `${src}:${out}`]);
    const text = () => {
      try {
        return readFileSync(out, 'utf8');
      } catch {
        return '';
      }
    };
    return { t, text };
  }

  it('re-renders on KV, service and node changes without issuing one blocking query', async () => {
    const proxy = new RecordingProxy();
    const { t, text } = await run(
      'k={{ key "cfg/k" }} web={{ range service "web" }}{{ .Node }}:{{ .Port }},{{ end }} nodes={{ range nodes }}{{ .Node }},{{ end }}',
      proxy,
      'streamed',
    );
    try {
      await until('first render', () => text() === 'k=1 web= nodes=stream-tmpl,', 20_000);
      // Let the subscriptions' snapshots arrive (they trigger one re-render, same output).
      await until('three streams open', () => proxy.seen.filter((l) => l.startsWith('GET /v1/stream?')).length === 3);
      await new Promise((r) => setTimeout(r, 300));
      let start = Date.now();
      await put('/v1/kv/cfg/k', '2');
      await until('KV change rendered', () => text().startsWith('k=2 '));
      const kvMs = Date.now() - start;
      start = Date.now();
      await put('/v1/catalog/register', {
        Node: 'web01',
        Address: '10.0.0.1',
        Service: { ID: 'web-1', Service: 'web', Port: 80 },
      });
      await until('service and node change rendered', () => text() === 'k=2 web=web01:80, nodes=stream-tmpl,web01,');
      const catalogMs = Date.now() - start;
      await put('/v1/catalog/deregister', { Node: 'web01' });
      await until('deregister rendered', () => text() === 'k=2 web= nodes=stream-tmpl,');
      console.log(`      re-render after a KV write: ${kvMs} ms, after a registration: ${catalogMs} ms`);

      const streams = proxy.seen.filter((l) => l.startsWith('GET /v1/stream?'));
      expect(streams.map((l) => new URLSearchParams(l.split('?')[1]).get('topic')).sort()).to.deep.equal([
        'all',
        'kv',
        'service-health',
      ]);
      const blocking = proxy.seen.filter((l) => /[?&]index=/.test(l));
      expect(blocking, 'no blocking query was issued').to.deep.equal([]);
    } finally {
      t.child.kill('SIGTERM');
      expect(await t.exited, t.output()).to.equal(0);
      await proxy.close();
    }
    expect(t.output()).to.not.contain('[WARN]');
  });

  it('falls back to blocking queries when the agent has no /v1/stream', async () => {
    const proxy = new RecordingProxy();
    proxy.refuseStreams = true;
    await put('/v1/kv/cfg/k', '10');
    const { t, text } = await run('k={{ key "cfg/k" }}', proxy, 'fallback');
    try {
      await until('first render', () => text() === 'k=10', 20_000);
      await until('the fallback warning', () => t.output().includes('using blocking queries'));
      await until('a blocking query', () => proxy.seen.some((l) => /[?&]index=/.test(l)));
      await put('/v1/kv/cfg/k', '11');
      await until('KV change rendered over blocking queries', () => text() === 'k=11');
    } finally {
      t.child.kill('SIGTERM');
      expect(await t.exited, t.output()).to.equal(0);
      await proxy.close();
    }
    expect(t.output()).to.contain('change stream kv cfg/k unavailable (the agent has no /v1/stream)');
  });
});
