import { expect } from 'chai';
import { selfSignedCertificate } from '@proconsul/kernel/testing';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Container } from 'inversify';
import { CheckType, NullLogger, type CheckDefinitionFields, type RuntimeConfig } from '@proconsul/kernel';
import { CheckRunner } from '@proconsul/agent';
import plugin, { GrpcCheckType, decodeHealthResponse, encodeHealthRequest } from './index.js';

function def(fields: Record<string, unknown>): CheckDefinitionFields {
  return { CheckID: 'c', Name: 'c', IntervalMs: 10_000, TimeoutMs: 10_000, ...fields };
}
const never = new AbortController().signal;

/**
 * A tiny grpc.health.v1 server. Bytes are written by hand here (not with the plugin's codec)
 * so an encoding mistake in the plugin cannot be mirrored by the server.
 * Services: "" and "web" SERVING, "db" NOT_SERVING, "hang" never answers, others NOT_FOUND.
 */
function healthHandler(requests: Buffer[]) {
  return (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => {
    const body: Buffer[] = [];
    stream.on('data', (c: Buffer) => body.push(c));
    stream.on('end', () => {
      const req = Buffer.concat(body);
      requests.push(req);
      expect(headers[':path']).to.equal('/grpc.health.v1.Health/Check');
      expect(headers['content-type']).to.equal('application/grpc');
      const service = req.length > 5 ? req.subarray(7).toString() : '';
      if (service === 'hang') return;
      if (service !== '' && service !== 'web' && service !== 'db') {
        stream.respond(
          { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '5', 'grpc-message': 'unknown%20service' },
          { endStream: true },
        );
        return;
      }
      const status = service === 'db' ? 2 : 1;
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(Buffer.from([0, 0, 0, 0, 2, 0x08, status]));
    });
  };
}

describe('checks-grpc: codec', () => {
  it('encodes HealthCheckRequest{service} with gRPC framing and decodes responses', () => {
    expect([...encodeHealthRequest('web')]).to.deep.equal([0, 0, 0, 0, 5, 0x0a, 3, 0x77, 0x65, 0x62]);
    expect([...encodeHealthRequest('')]).to.deep.equal([0, 0, 0, 0, 0]);
    expect([...encodeHealthRequest('x'.repeat(200)).subarray(0, 8)]).to.deep.equal([0, 0, 0, 0, 203, 0x0a, 0xc8, 0x01]);
    expect(decodeHealthResponse(Buffer.from([0, 0, 0, 0, 2, 0x08, 1]))).to.equal(1);
    expect(decodeHealthResponse(Buffer.from([0, 0, 0, 0, 0]))).to.equal(0);
    // unknown length-delimited field 2 is skipped
    expect(decodeHealthResponse(Buffer.from([0, 0, 0, 0, 5, 0x12, 1, 0x41, 0x08, 2]))).to.equal(2);
    expect(() => decodeHealthResponse(Buffer.from([0, 0, 0]))).to.throw('no complete gRPC message');
  });
});

describe('checks-grpc: GrpcCheckType against a local HTTP/2 server', () => {
  const requests: Buffer[] = [];
  let server: http2.Http2Server;
  let addr: string;
  const t = new GrpcCheckType();

  before(async () => {
    server = http2.createServer();
    server.on('stream', healthHandler(requests));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    addr = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  it('SERVING is passing, for the whole server and for a named service', async () => {
    expect(await t.run(def({ GRPC: addr }), never)).to.deep.equal({ status: 'passing', output: `gRPC check ${addr}: success` });
    expect(await t.run(def({ GRPC: `${addr}/web` }), never)).to.deep.equal({
      status: 'passing',
      output: `gRPC check ${addr}/web: success`,
    });
    expect(requests.at(-1)!.subarray(5).toString('latin1')).to.equal('\x0a\x03web');
  });

  it('NOT_SERVING and an unknown service are critical', async () => {
    expect(await t.run(def({ GRPC: `${addr}/db` }), never)).to.deep.equal({
      status: 'critical',
      output: `gRPC ${addr}/db serving status: NOT_SERVING`,
    });
    expect(await t.run(def({ GRPC: `${addr}/nope` }), never)).to.deep.equal({
      status: 'critical',
      output: 'rpc error: code = NotFound desc = unknown service',
    });
  });

  it('times out as DeadlineExceeded and refused connections are Unavailable', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(new DOMException('t', 'TimeoutError')), 300);
    const started = Date.now();
    expect(await t.run(def({ GRPC: `${addr}/hang` }), ac.signal)).to.deep.equal({
      status: 'critical',
      output: 'rpc error: code = DeadlineExceeded desc = context deadline exceeded',
    });
    expect(Date.now() - started).to.be.lessThan(2000);
    const s = http2.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    await new Promise((r) => s.close(r));
    const refused = await t.run(def({ GRPC: `127.0.0.1:${port}` }), never);
    expect(refused.status).to.equal('critical');
    expect(refused.output).to.match(/^rpc error: code = Unavailable desc = connection error: .*ECONNREFUSED/);
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
    runner.add({ name: 'g1', grpc: `${addr}/web`, interval: '1s', status: 'warning' }, 'api');
    runner.add({ name: 'g2', GRPC: `${addr}/db`, Interval: '1s', Status: 'passing' }, 'api');
    await new Promise((r) => setTimeout(r, 300));
    await runner.stopAll();
    expect(updates.sort()).to.deep.equal(['g1:passing', 'g2:critical']);
  });
});

describe('checks-grpc: grpc_use_tls', () => {
  let server: http2.Http2SecureServer | undefined;
  let addr = '';
  const t = new GrpcCheckType();

  before(async function () {
    const pair = selfSignedCertificate('grpc.test');
    if (!pair) {
      console.warn('    openssl CLI not available: skipping the gRPC TLS tests');
      this.skip();
    }
    const { key, cert } = pair;
    server = http2.createSecureServer({ key, cert });
    server.on('stream', healthHandler([]));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    addr = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server?.close());

  it('speaks TLS; verifies the certificate unless tls_skip_verify', async () => {
    expect(await t.run(def({ GRPC: `${addr}/web`, GRPCUseTLS: true, TLSSkipVerify: true }), never)).to.deep.equal({
      status: 'passing',
      output: `gRPC check ${addr}/web: success`,
    });
    const strict = await t.run(def({ GRPC: `${addr}/web`, GRPCUseTLS: true }), never);
    expect(strict.status).to.equal('critical');
    expect(strict.output).to.contain('self-signed certificate');
  });
});
