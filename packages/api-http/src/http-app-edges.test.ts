import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { NO_METRICS, NullLogger, type HttpEndpoint, type LogFields, type Logger, type MetricsRegistry } from '@proconsul/kernel';
import { createHttpApp, type HttpAppOptions } from './http-app.js';
import { rawRequest } from './test-support/raw-http.js';

const HOST = '127.0.85.2';

/** Keeps every line, at every level. */
class RecordingLogger implements Logger {
  readonly lines: { level: string; msg: string; fields: LogFields }[] = [];
  trace(msg: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'trace', msg, fields });
  }
  debug(msg: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'debug', msg, fields });
  }
  info(msg: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'info', msg, fields });
  }
  warn(msg: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'warn', msg, fields });
  }
  error(msg: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'error', msg, fields });
  }
  named(): Logger {
    return this;
  }
  enabled(): boolean {
    return true;
  }
}

async function serve(
  endpoints: HttpEndpoint[],
  log: Logger,
  options: HttpAppOptions = {},
): Promise<{ server: Server; port: number }> {
  const server = createServer(createHttpApp(endpoints, log, options).callback());
  await new Promise<void>((r) => server.listen(0, HOST, r));
  return { server, port: (server.address() as AddressInfo).port };
}

const close = (s: Server) => new Promise<void>((r) => s.close(() => r()));

function failingStream(code: string | undefined): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push('first part,');
        return;
      }
      // Later, so the first part has left: the failure comes after the headers.
      setTimeout(() => this.destroy(Object.assign(new Error(`stream broke (${code ?? 'plain'})`), code ? { code } : {})), 50);
    },
  });
}

describe('HTTP app: bodies, logs and metrics', () => {
  it('answers 413 with a plain-text reason past the body cap, and serves the request within it', async () => {
    const echo: HttpEndpoint = { method: 'PUT', path: '/v1/echo', handle: async (r) => ({ body: r.body.length }) };
    const { server, port } = await serve([echo], new NullLogger(), { maxBodyBytes: 1024 });
    try {
      const ok = await rawRequest(HOST, port, 'PUT', '/v1/echo', { body: 'x'.repeat(1024) });
      expect([ok.status, ok.body]).to.deep.equal([200, '1024']);
      const big = await rawRequest(HOST, port, 'PUT', '/v1/echo', { body: 'x'.repeat(1025) });
      expect(big.status).to.equal(413);
      expect(big.headers['content-type']).to.equal('text/plain; charset=utf-8');
      expect(big.body).to.equal('Request body too large (limit 1024 bytes)');
    } finally {
      await close(server);
    }
  });

  it('a streamed body failing after the headers ends the response and is logged; a premature close is not', async () => {
    const log = new RecordingLogger();
    const broken: HttpEndpoint = {
      method: 'GET',
      path: '/v1/broken/:code',
      handle: async (r) => ({ body: failingStream(r.params['code'] === 'plain' ? undefined : r.params['code']) }),
    };
    const { server, port } = await serve([broken], log);
    try {
      // The connection is cut mid-body, so the client may see a reset rather than an end.
      const r = await rawRequest(HOST, port, 'GET', '/v1/broken/plain').catch(() => undefined);
      if (r) expect([r.status, r.body]).to.deep.equal([200, 'first part,']);
      const warned = () => log.lines.filter((l) => l.msg === 'response failed');
      for (let i = 0; i < 50 && warned().length === 0; i++) await new Promise((res) => setTimeout(res, 10));
      expect(warned().map((l) => (l.fields['error'] as Error).message)).to.deep.equal(['stream broke (plain)']);
      await rawRequest(HOST, port, 'GET', '/v1/broken/ERR_STREAM_PREMATURE_CLOSE').catch(() => undefined);
      await new Promise((res) => setTimeout(res, 50));
      expect(warned()).to.have.length(1);
      expect(log.lines.filter((l) => l.level === 'error')).to.deep.equal([]);
    } finally {
      await close(server);
    }
  });

  it("logs Consul's `Request finished` line with the status, the peer and the token hidden", async () => {
    const log = new RecordingLogger();
    const ok: HttpEndpoint = { method: 'GET', path: '/v1/ok', handle: async () => ({ status: 201, body: 'x' }) };
    const { server, port } = await serve([ok], log);
    try {
      await rawRequest(HOST, port, 'GET', '/v1/ok?token=s3cret&pretty');
      await rawRequest(HOST, port, 'DELETE', '/v1/ok');
      const finished = log.lines.filter((l) => l.msg === 'Request finished').map((l) => l.fields);
      expect(finished).to.have.length(2);
      expect(finished[0]).to.deep.include({ method: 'GET', url: '/v1/ok?token=<hidden>&pretty', status: 201 });
      expect(finished[0]!['from']).to.match(/^127\.\d+\.\d+\.\d+:\d+$/);
      expect(finished[0]!['latency']).to.match(/^\d+\.\d{3}ms$/);
      expect(finished[1]).to.deep.include({ method: 'DELETE', url: '/v1/ok', status: 405 });
      expect(JSON.stringify(log.lines)).not.to.contain('s3cret');
    } finally {
      await close(server);
    }
  });

  it("times each served request under the route's label, HEAD as its GET", async () => {
    const seen: { name: string; labels: unknown }[] = [];
    const metrics: MetricsRegistry = { ...NO_METRICS, measureSince: (name, _t, labels) => void seen.push({ name, labels }) };
    const kv: HttpEndpoint = { method: 'GET', path: '/v1/kv{/*key}', handle: async () => ({ body: [] }) };
    const { server, port } = await serve([kv], new NullLogger(), { metrics });
    try {
      await rawRequest(HOST, port, 'GET', '/v1/kv/a/b');
      await rawRequest(HOST, port, 'HEAD', '/v1/kv/a');
      await rawRequest(HOST, port, 'GET', '/v1/nothing');
      expect(seen).to.deep.equal([
        { name: 'api.http', labels: { method: 'GET', path: 'v1.kv._' } },
        { name: 'http.GET.v1.kv._', labels: undefined },
        { name: 'api.http', labels: { method: 'GET', path: 'v1.kv._' } },
        { name: 'http.GET.v1.kv._', labels: undefined },
      ]);
    } finally {
      await close(server);
    }
  });

  it('a header value node refuses is a logged 500 with a plain-text reason, not a dropped connection', async () => {
    const log = new RecordingLogger();
    const bad: HttpEndpoint = {
      method: 'GET',
      path: '/v1/bad-header',
      handle: async () => ({ headers: { 'X-Bad': 'a\nb' }, body: 'x' }),
    };
    const { server, port } = await serve([bad], log);
    try {
      const r = await rawRequest(HOST, port, 'GET', '/v1/bad-header');
      expect(r.status).to.equal(500);
      expect(r.headers['x-bad']).to.equal(undefined);
      expect(r.headers['content-type']).to.equal('text/plain; charset=utf-8');
      expect(r.body).to.match(/^internal error: .*X-Bad/);
      expect(log.lines.filter((l) => l.level === 'error' && l.msg === 'request failed')).to.have.length(1);
    } finally {
      await close(server);
    }
  });

  it('refuses a route pattern it cannot serve when the app is built, naming it', () => {
    const bad: HttpEndpoint = { method: 'GET', path: '/v1/x/(y)', handle: async () => ({}) };
    expect(() => createHttpApp([bad], new NullLogger())).to.throw(/\/v1\/x\/\(y\)/);
  });
});
