import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { subscribe } from './subscribe.js';
import { StreamDeniedError, StreamRequestError, type StreamEvent, type KvEntry } from './stream-types.js';
import { SseParser } from './sse-parser.js';

/** A scripted /v1/stream: each connection runs the next handler. */
async function fakeServer(
  handlers: ((req: IncomingMessage, res: ServerResponse) => void)[],
): Promise<{ server: Server; addr: string; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    const h = handlers.shift();
    if (!h) return void res.writeHead(500).end('no more');
    h(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.78.2', r));
  return { server, addr: `http://127.0.78.2:${(server.address() as AddressInfo).port}`, seen };
}

const entry = (Key: string, i: number) =>
  JSON.stringify({ Key, Value: null, Flags: 0, LockIndex: 0, CreateIndex: i, ModifyIndex: i });
const sse = (event: string, data: string, id?: number) =>
  `event: ${event}\n${id !== undefined ? `id: ${id}\n` : ''}data: ${data}\n\n`;

describe('stream-client subscribe()', function () {
  this.timeout(10_000);
  let server: Server | undefined;
  afterEach(() => {
    server?.closeAllConnections();
    server?.close();
  });

  it('yields typed snapshot and delta events, then reconnects with Last-Event-ID after a drop', async () => {
    const f = await fakeServer([
      (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        res.write(': hello\n\n' + sse('upsert', entry('app/a', 5)) + sse('snapshot-done', '{"Index":7}', 7));
        res.end(sse('upsert', entry('app/b', 9), 9)); // then the connection drops
      },
      (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        res.write(sse('delete', '{"Key":"app/a"}', 11));
      },
    ]);
    server = f.server;
    const ctl = new AbortController();
    const got: StreamEvent<KvEntry>[] = [];
    for await (const ev of subscribe({
      addr: f.addr,
      topic: 'kv',
      prefix: 'app/',
      token: 'secret',
      signal: ctl.signal,
      backoff: { initialMs: 10 },
    })) {
      got.push(ev);
      if (ev.type === 'delete') ctl.abort();
    }
    expect(got.map((e) => e.type)).to.deep.equal(['upsert', 'snapshot-done', 'upsert', 'reconnecting', 'delete']);
    expect(got[0]).to.deep.include({ snapshot: true, index: undefined });
    expect((got[0] as { item: KvEntry }).item.Key).to.equal('app/a');
    expect(got[2]).to.deep.include({ snapshot: false, index: 9 });
    expect(got[4]).to.deep.equal({ type: 'delete', index: 11, key: 'app/a' });
    expect(f.seen[0]!.url).to.equal('/v1/stream?topic=kv&prefix=app%2F');
    expect(f.seen[0]!.headers['x-consul-token']).to.equal('secret');
    expect(f.seen[0]!.headers['last-event-id']).to.equal(undefined);
    expect(f.seen[1]!.headers['last-event-id'], 'resumes from the last id it saw').to.equal('9');
  });

  it('ends with StreamDeniedError on acl-denied or a 403, and StreamRequestError on a 400, without retrying', async () => {
    const f = await fakeServer([
      (_req, res) => res.writeHead(200).end(sse('acl-denied', '{"Reason":"token deleted"}')),
      (_req, res) => res.writeHead(403).end('Permission denied'),
      (_req, res) => res.writeHead(400).end('Unknown topic "x"'),
    ]);
    server = f.server;
    const drain = async (topic: string) => {
      try {
        for await (const _ of subscribe({ addr: f.addr, topic: topic as 'kv', backoff: { initialMs: 10 } })) void _;
      } catch (e) {
        return e;
      }
      return undefined;
    };
    const a = await drain('kv');
    expect(a).to.be.instanceOf(StreamDeniedError);
    expect((a as Error).message).to.contain('token deleted');
    expect(await drain('kv')).to.be.instanceOf(StreamDeniedError);
    const b = await drain('x');
    expect(b).to.be.instanceOf(StreamRequestError).with.property('status', 400);
    expect(f.seen).to.have.length(3);
  });

  it('treats a silent connection as dead and reconnects', async () => {
    const f = await fakeServer([
      (_req, res) => void res.writeHead(200).write(': open\n\n'), // then nothing, not even heartbeats
      (_req, res) => void res.writeHead(200).write(sse('snapshot-done', '{"Index":3}', 3)),
    ]);
    server = f.server;
    const ctl = new AbortController();
    const got: string[] = [];
    for await (const ev of subscribe({
      addr: f.addr,
      topic: 'services',
      signal: ctl.signal,
      idleTimeoutMs: 200,
      backoff: { initialMs: 10 },
    })) {
      got.push(ev.type === 'reconnecting' ? `reconnecting: ${ev.error}` : ev.type);
      if (ev.type === 'snapshot-done') ctl.abort();
    }
    expect(got).to.deep.equal(['reconnecting: no data or heartbeat from the server', 'snapshot-done']);
  });

  it('over https trusts only the CA it is given: refused without it, streams with it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stream-client-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=stream-test',
          '-addext',
          'subjectAltName=IP:127.0.78.2',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
      const tlsServer = createHttpsServer({ cert, key: readFileSync(join(dir, 'key.pem'), 'utf8') }, (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        res.write(sse('snapshot-done', '{"Index":2}', 2));
      });
      server = tlsServer as unknown as Server;
      await new Promise<void>((r) => tlsServer.listen(0, '127.0.78.2', r));
      const addr = `https://127.0.78.2:${(tlsServer.address() as AddressInfo).port}`;
      const first = async (tls?: { ca: string }) => {
        const ctl = new AbortController();
        for await (const ev of subscribe({ addr, topic: 'services', signal: ctl.signal, ...(tls ? { tls } : {}) })) {
          ctl.abort();
          return ev;
        }
        return undefined;
      };
      const refused = await first();
      expect(refused).to.have.property('type', 'reconnecting');
      expect((refused as { error: string }).error).to.match(/self[- ]signed|certificate/i);
      expect(await first({ ca: cert })).to.deep.equal({ type: 'snapshot-done', index: 2 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses frames split across chunks, CRLF line ends and multi-line data', () => {
    const p = new SseParser();
    expect(p.feed('event: upsert\r\nid: 4\r\nda')).to.deep.equal([]);
    expect(p.feed('ta: {"a":\r\ndata: 1}\r\n\r\n: comment\n\n')).to.deep.equal([{ event: 'upsert', id: '4', data: '{"a":\n1}' }]);
  });
});
