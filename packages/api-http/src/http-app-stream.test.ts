import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { NullLogger, type HttpEndpoint } from '@proconsul/kernel';
import { createHttpApp } from './http-app.js';

/** Bytes in, digest out: only possible without buffering when the body is handed over unread. */
const upload: HttpEndpoint = {
  method: 'PUT',
  path: '/v1/upload',
  streamBody: true,
  handle: async (r) => {
    const hash = createHash('sha256');
    let chunks = 0;
    let bytes = 0;
    for await (const c of r.bodyStream!) {
      hash.update(c);
      chunks++;
      bytes += c.length;
    }
    return { body: { bufferedBody: r.body.length, chunks, bytes, sha: hash.digest('hex') } };
  },
};

const download: HttpEndpoint = {
  method: 'GET',
  path: '/v1/download',
  handle: async () => ({
    headers: { 'Content-Type': 'application/octet-stream' },
    body: Readable.from(
      (function* () {
        for (let i = 0; i < 16; i++) yield Buffer.alloc(1024 * 1024, i);
      })(),
    ),
  }),
};

/** A long list like a recursive KV read: bytes as base64, a uint64 as an exact number. */
const entries = Array.from({ length: 5000 }, (_, i) => ({
  Key: `app/${String(i).padStart(5, '0')}`,
  Value: new Uint8Array([i % 256, 1, 2]),
  Big: 18446744073709551615n,
}));
const expected = JSON.stringify(
  entries.map((e) => ({ ...e, Value: Buffer.from(e.Value).toString('base64'), Big: 'BIG' })),
).replace(/"BIG"/g, '18446744073709551615');
const list: HttpEndpoint = { method: 'GET', path: '/v1/list', handle: async () => ({ body: entries }) };

describe('HTTP frontend: streamed bodies', function () {
  this.timeout(20_000);
  const server = createServer(createHttpApp([upload, download, list], new NullLogger()).callback());
  let port = 0;
  before(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('hands a streamBody endpoint the upload as it arrives, past the 64 MiB buffered-body cap', async () => {
    const total = 80 * 1024 * 1024;
    const hash = createHash('sha256');
    const block = Buffer.alloc(1024 * 1024, 7);
    const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'PUT', path: '/v1/upload' }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      let sent = 0;
      const pump = () => {
        while (sent < total) {
          hash.update(block);
          sent += block.length;
          if (!req.write(block)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(reply.status, reply.body).to.equal(200);
    const got = JSON.parse(reply.body) as { bufferedBody: number; chunks: number; bytes: number; sha: string };
    expect(got.bufferedBody).to.equal(0);
    expect(got.bytes).to.equal(total);
    expect(got.chunks).to.be.greaterThan(1);
    expect(got.sha).to.equal(hash.digest('hex'));
  });

  it('streams a Readable response body', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/v1/download`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('application/octet-stream');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.length).to.equal(16 * 1024 * 1024);
    expect(body[body.length - 1]).to.equal(15);
  });

  it('sends a long JSON list in slices (no Content-Length), byte for byte what one string would be', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/v1/list`);
    expect(res.headers.get('content-length')).to.equal(null);
    expect(res.headers.get('content-type')).to.match(/application\/json/);
    const text = await res.text();
    expect(text).to.equal(expected);
    expect((JSON.parse(text) as unknown[]).length).to.equal(5000);
  });

  it('answers a blocking read (?index) and ?pretty as one string, which a woken herd shares', async () => {
    const blocking = await fetch(`http://127.0.0.1:${port}/v1/list?index=1`);
    expect(blocking.headers.get('content-length')).to.equal(String(Buffer.byteLength(expected)));
    expect(await blocking.text()).to.equal(expected);
    const pretty = await fetch(`http://127.0.0.1:${port}/v1/list?pretty`);
    expect(pretty.headers.get('content-length')).to.not.equal(null);
    expect(JSON.parse(await pretty.text())).to.deep.equal(JSON.parse(expected));
  });
});
