import { expect } from 'chai';
import { selfSignedCertificate } from '@proconsul/kernel/testing';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Container } from 'inversify';
import { CheckType, NullLogger, type CheckDefinitionFields, type RuntimeConfig } from '@proconsul/kernel';
import { CheckRunner } from '@proconsul/agent';
import plugin, { HttpCheckType } from './index.js';

interface Seen {
  method: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  servername?: string;
}

function handler(seen: Seen[]): http.RequestListener {
  return (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({
        method: req.method!,
        headers: req.headers,
        body,
        servername: (req.socket as { servername?: string }).servername,
      });
      const path = req.url ?? '/';
      if (path === '/ok') return res.end('hello');
      if (path === '/busy') return res.writeHead(429).end('slow down');
      if (path === '/fail') return res.writeHead(500).end('broken');
      if (path === '/big') return res.end('z'.repeat(100_000));
      if (path === '/redirect') return res.writeHead(302, { location: '/ok' }).end();
      if (path === '/loop') return res.writeHead(302, { location: '/loop' }).end();
      if (path === '/hang') return; // never answers
      if (path === '/chunks') {
        // Three writes, flushed apart: the body arrives in several chunks.
        res.write('one ');
        setTimeout(() => res.write('two '), 20);
        setTimeout(() => res.end('three'), 40);
        return;
      }
      res.writeHead(404).end('nope');
    });
  };
}

function def(fields: Record<string, unknown>): CheckDefinitionFields {
  return { CheckID: 'c', Name: 'c', IntervalMs: 10_000, TimeoutMs: 10_000, ...fields };
}

const ok = new AbortController().signal;

describe('checks-http: HttpCheckType against a local server', () => {
  const seen: Seen[] = [];
  let server: http.Server;
  let base: string;
  const t = new HttpCheckType();

  before(async () => {
    server = http.createServer(handler(seen));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  beforeEach(() => (seen.length = 0));

  it('2xx is passing, with Consul-style output', async () => {
    const r = await t.run(def({ HTTP: `${base}/ok` }), ok);
    expect(r).to.deep.equal({ status: 'passing', output: `HTTP GET ${base}/ok: 200 OK Output: hello` });
    expect(seen[0]!.headers['user-agent']).to.equal('Consul Health Check');
    expect(seen[0]!.headers['accept']).to.equal('text/plain, text/*, */*');
  });

  it('429 is warning, 500 and 404 are critical', async () => {
    expect((await t.run(def({ HTTP: `${base}/busy` }), ok)).status).to.equal('warning');
    const fail = await t.run(def({ HTTP: `${base}/fail` }), ok);
    expect(fail).to.deep.equal({ status: 'critical', output: `HTTP GET ${base}/fail: 500 Internal Server Error Output: broken` });
    expect((await t.run(def({ HTTP: `${base}/x` }), ok)).status).to.equal('critical');
  });

  it('sends method, multi-valued headers and body', async () => {
    const r = await t.run(
      def({ HTTP: `${base}/ok`, Method: 'post', Header: { 'X-Multi': ['a', 'b'], 'User-Agent': ['mine'] }, Body: '{"x":1}' }),
      ok,
    );
    expect(r.output).to.match(/^HTTP POST /);
    expect(seen[0]).to.include({ method: 'POST', body: '{"x":1}' });
    expect(seen[0]!.headers['x-multi']).to.equal('a, b');
    expect(seen[0]!.headers['user-agent']).to.equal('mine');
  });

  it('follows redirects unless disable_redirects, and bounds them', async () => {
    expect((await t.run(def({ HTTP: `${base}/redirect` }), ok)).output).to.equal(
      `HTTP GET ${base}/redirect: 200 OK Output: hello`,
    );
    expect(await t.run(def({ HTTP: `${base}/redirect`, DisableRedirects: true }), ok)).to.deep.equal({
      status: 'critical',
      output: `HTTP GET ${base}/redirect: 302 Found Output: `,
    });
    const loop = await t.run(def({ HTTP: `${base}/loop` }), ok);
    expect(loop.status).to.equal('critical');
    expect(loop.output).to.contain('stopped after 10 redirects');
    // As Go: the original request and 10 redirects are sent, the 11th redirect is refused.
    expect(seen.length).to.equal(2 + 1 + 11);
  });

  it('keeps only the first 4 KiB of the body', async () => {
    const r = await t.run(def({ HTTP: `${base}/big` }), ok);
    expect(r.output).to.equal(`HTTP GET ${base}/big: 200 OK Output: ${'z'.repeat(4096)}`);
  });

  it('is critical on timeout (signal aborted with TimeoutError) and settles promptly', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(new DOMException('timed out', 'TimeoutError')), 200);
    const started = Date.now();
    const r = await t.run(def({ HTTP: `${base}/hang`, TimeoutMs: 200 }), ac.signal);
    expect(Date.now() - started).to.be.lessThan(2000);
    expect(r.status).to.equal('critical');
    expect(r.output).to.match(/^Get ".*\/hang": context deadline exceeded/);
  });

  it('joins a body that arrives in several chunks', async () => {
    const r = await t.run(def({ HTTP: `${base}/chunks` }), ok);
    expect(r.output).to.equal(`HTTP GET ${base}/chunks: 200 OK Output: one two three`);
  });

  it('probes each definition as written: nothing of an earlier definition is reused', async () => {
    // The type prepares a request once per definition object; a re-registered check is a new one.
    await t.run(def({ HTTP: `${base}/ok`, Header: { 'X-Which': 'first' } }), ok);
    const r = await t.run(def({ HTTP: `${base}/fail`, Method: 'PUT', Header: { 'X-Which': 'second' } }), ok);
    expect(r).to.deep.equal({ status: 'critical', output: `HTTP PUT ${base}/fail: 500 Internal Server Error Output: broken` });
    expect(seen.map((x) => [x.method, x.headers['x-which']])).to.deep.equal([
      ['GET', 'first'],
      ['PUT', 'second'],
    ]);
  });

  it('sends nothing when the run is already timed out', async () => {
    const ac = new AbortController();
    ac.abort(new DOMException('timed out', 'TimeoutError'));
    const r = await t.run(def({ HTTP: `${base}/ok`, TimeoutMs: 200 }), ac.signal);
    expect(r.status).to.equal('critical');
    expect(r.output).to.match(/^Get ".*\/ok": context deadline exceeded/);
    // A probe sent after it: had the aborted run sent anything, the server would have seen two.
    await t.run(def({ HTTP: `${base}/ok`, Header: { 'X-Which': 'after' } }), ok);
    expect(seen.map((x) => x.headers['x-which'])).to.deep.equal(['after']);
  });

  it('is critical when nothing listens', async () => {
    const s = http.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    await new Promise((r) => s.close(r));
    const r = await t.run(def({ HTTP: `http://127.0.0.1:${port}/` }), ok);
    expect(r).to.deep.equal({
      status: 'critical',
      output: `Get "http://127.0.0.1:${port}/": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    });
  });

  it('runs under the CheckRunner when loaded as a plugin', async () => {
    const c = new Container();
    c.load(plugin.createModule({}, { config: {} as RuntimeConfig, logger: new NullLogger() }));
    const updates: string[] = [];
    const runner = new CheckRunner({
      types: c.getAll<CheckType>(CheckType),
      random: () => 0,
      onUpdate: (id, s) => updates.push(`${id}:${s}`),
    });
    runner.add({ name: 'web', http: `${base}/ok`, interval: '1s', timeout: '1s' }, 'api');
    runner.add({ name: 'busy', HTTP: `${base}/busy`, Interval: '1s' }, 'config');
    await new Promise((r) => setTimeout(r, 300));
    await runner.stopAll();
    expect(updates.sort()).to.deep.equal(['busy:warning', 'web:passing']);
  });
});

describe('checks-http: HTTPS', () => {
  const seen: Seen[] = [];
  let server: https.Server | undefined;
  let base = '';
  const t = new HttpCheckType();

  before(async function () {
    const pair = selfSignedCertificate('check.test');
    if (!pair) {
      console.warn('    openssl CLI not available: skipping the HTTPS tests');
      this.skip();
    }
    server = https.createServer({ key: pair.key, cert: pair.cert }, handler(seen));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server?.closeAllConnections();
    server?.close();
  });

  it('refuses a self-signed certificate unless tls_skip_verify', async () => {
    const strict = await t.run(def({ HTTP: `${base}/ok` }), ok);
    expect(strict.status).to.equal('critical');
    expect(strict.output).to.contain('tls: failed to verify certificate');
    expect(await t.run(def({ HTTP: `${base}/ok`, TLSSkipVerify: true }), ok)).to.deep.equal({
      status: 'passing',
      output: `HTTP GET ${base}/ok: 200 OK Output: hello`,
    });
  });

  it('sends tls_server_name as SNI', async () => {
    seen.length = 0;
    await t.run(def({ HTTP: `${base}/ok`, TLSSkipVerify: true, TLSServerName: 'check.test' }), ok);
    expect(seen[0]!.servername).to.equal('check.test');
  });
});
