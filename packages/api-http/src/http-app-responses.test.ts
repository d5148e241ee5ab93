import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import {
  BadRequest,
  NotFound,
  NullLogger,
  defineError,
  type HttpEndpoint,
  type HttpMethod,
  type HttpRequest,
} from '@proconsul/kernel';
import { createHttpApp } from './http-app.js';
import { rawRequest } from './test-support/raw-http.js';

/**
 * Status, headers and bytes of each kind of answer, pinned from what koa answered before
 * the API moved to node:http: Content-Type and Content-Length per body kind (endpoint
 * headers win, except that a JSON body is always application/json), HEAD, 204/304 without
 * body or entity headers, 405 with Allow (OPTIONS first, no HEAD), OPTIONS, unknown paths
 * in and outside /v1, coded errors as plain text, token sources in their order.
 */
const ep = (
  path: string,
  handle: (r: HttpRequest) => Promise<unknown>,
  method: HttpMethod | HttpMethod[] = 'GET',
): HttpEndpoint => ({
  method,
  path,
  handle: handle as HttpEndpoint['handle'],
});
const Unavailable = defineError('PIN_UNAVAILABLE', 503, (w: string) => `unavailable: ${w}`);
const endpoints: HttpEndpoint[] = [
  ep('/v1/json', async () => ({ body: { a: 1, b: [1, 2] }, headers: { 'X-Consul-Index': '5' } })),
  ep('/v1/json-typed', async () => ({ body: { a: 1 }, headers: { 'Content-Type': 'application/x-thing' } })),
  ep('/v1/null', async () => ({ body: null })),
  ep('/v1/text', async () => ({ body: 'hello ✓' })),
  ep('/v1/html', async () => ({ body: '  <p>x</p>' })),
  ep('/v1/text-typed', async () => ({ body: 'm 1\n', headers: { 'Content-Type': 'text/plain; version=0.0.4' } })),
  ep('/v1/buf', async () => ({ body: Buffer.from([0, 1, 2]) })),
  ep('/v1/buf-typed', async () => ({ body: Buffer.from('GIF'), headers: { 'Content-Type': 'image/gif' } })),
  ep('/v1/empty', async () => ({})),
  ep('/v1/created', async () => ({ status: 201 })),
  ep('/v1/no-content', async () => ({ status: 204, headers: { 'X-Consul-Index': '3' } })),
  ep('/v1/no-content-body', async () => ({ status: 204, body: 'ignored' })),
  ep('/v1/not-modified', async () => ({ status: 304, body: { a: 1 } })),
  ep('/v1/redirect', async () => ({ status: 301, headers: { Location: '/ui/' } })),
  ep('/v1/stream', async () => ({ body: Readable.from([Buffer.from('a'), Buffer.from('b')]) })),
  ep('/v1/stream-typed', async () => ({
    body: Readable.from(['x']),
    headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' },
  })),
  ep('/v1/bad', async () => {
    throw BadRequest('Missing node name');
  }),
  ep('/v1/missing', async () => {
    throw NotFound('no such thing');
  }),
  ep('/v1/unavailable', async () => {
    throw Unavailable('x');
  }),
  ep('/v1/bug', async () => {
    throw new Error('kaput');
  }),
  ep('/v1/status-err', async () => {
    throw Object.assign(new Error('teapot'), { status: 418 });
  }),
  ep(
    '/v1/body',
    async (r) => ({ body: { len: r.body.length, text: r.body.toString(), ct: r.headers['content-type'] ?? null } }),
    ['PUT', 'POST'],
  ),
  ep('/v1/query', async (r) => ({ body: { q: [...r.query.entries()], token: r.token ?? null } })),
];

type Opts = { headers?: Record<string, string>; body?: string } | null;
const CASES: [string, string, Opts, number, Record<string, string>, string][] = [
  [
    'GET',
    '/v1/json',
    null,
    200,
    { 'x-consul-index': '5', 'content-type': 'application/json; charset=utf-8', 'content-length': '17' },
    '{"a":1,"b":[1,2]}',
  ],
  [
    'GET',
    '/v1/json?pretty',
    null,
    200,
    { 'x-consul-index': '5', 'content-type': 'application/json; charset=utf-8', 'content-length': '54' },
    '{\n    "a": 1,\n    "b": [\n        1,\n        2\n    ]\n}\n',
  ],
  [
    'HEAD',
    '/v1/json',
    null,
    200,
    { 'x-consul-index': '5', 'content-type': 'application/json; charset=utf-8', 'content-length': '17' },
    '',
  ],
  ['GET', '/v1/json-typed', null, 200, { 'content-type': 'application/json; charset=utf-8', 'content-length': '7' }, '{"a":1}'],
  ['GET', '/v1/null', null, 200, { 'content-type': 'application/json; charset=utf-8', 'content-length': '4' }, 'null'],
  ['GET', '/v1/text', null, 200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '9' }, 'hello ✓'],
  ['HEAD', '/v1/text', null, 200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '9' }, ''],
  ['GET', '/v1/html', null, 200, { 'content-type': 'text/html; charset=utf-8', 'content-length': '10' }, '  <p>x</p>'],
  ['GET', '/v1/text-typed', null, 200, { 'content-type': 'text/plain; version=0.0.4', 'content-length': '4' }, 'm 1\n'],
  ['GET', '/v1/buf', null, 200, { 'content-type': 'application/octet-stream', 'content-length': '3' }, '\u0000\u0001\u0002'],
  ['GET', '/v1/buf-typed', null, 200, { 'content-type': 'image/gif', 'content-length': '3' }, 'GIF'],
  ['GET', '/v1/empty', null, 200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '0' }, ''],
  ['HEAD', '/v1/empty', null, 200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '0' }, ''],
  ['GET', '/v1/created', null, 201, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '0' }, ''],
  ['GET', '/v1/no-content', null, 204, { 'x-consul-index': '3' }, ''],
  ['GET', '/v1/no-content-body', null, 204, {}, ''],
  ['GET', '/v1/not-modified', null, 304, {}, ''],
  [
    'GET',
    '/v1/redirect',
    null,
    301,
    { location: '/ui/', 'content-type': 'text/plain; charset=utf-8', 'content-length': '0' },
    '',
  ],
  ['GET', '/v1/stream', null, 200, { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' }, 'ab'],
  ['HEAD', '/v1/stream', null, 200, { 'content-type': 'application/octet-stream' }, ''],
  [
    'GET',
    '/v1/stream-typed',
    null,
    200,
    { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'transfer-encoding': 'chunked' },
    'x',
  ],
  ['GET', '/v1/bad', null, 400, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '17' }, 'Missing node name'],
  ['HEAD', '/v1/bad', null, 400, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '17' }, ''],
  ['GET', '/v1/missing', null, 404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '13' }, 'no such thing'],
  [
    'GET',
    '/v1/unavailable',
    null,
    503,
    { 'content-type': 'text/plain; charset=utf-8', 'content-length': '14' },
    'unavailable: x',
  ],
  ['GET', '/v1/bug', null, 500, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '21' }, 'internal error: kaput'],
  ['GET', '/v1/status-err', null, 418, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '6' }, 'teapot'],
  [
    'PUT',
    '/v1/body',
    { body: 'xyz', headers: { 'Content-Type': 'application/json' } },
    200,
    { 'content-type': 'application/json; charset=utf-8', 'content-length': '46' },
    '{"len":3,"text":"xyz","ct":"application/json"}',
  ],
  [
    'POST',
    '/v1/body',
    null,
    200,
    { 'content-type': 'application/json; charset=utf-8', 'content-length': '29' },
    '{"len":0,"text":"","ct":null}',
  ],
  [
    'GET',
    '/v1/body',
    null,
    405,
    { allow: 'OPTIONS,PUT,POST', 'content-type': 'text/plain; charset=utf-8', 'content-length': '22' },
    'method GET not allowed',
  ],
  [
    'OPTIONS',
    '/v1/body',
    null,
    200,
    { allow: 'OPTIONS,PUT,POST', 'content-type': 'text/plain; charset=utf-8', 'content-length': '0' },
    '',
  ],
  [
    'DELETE',
    '/v1/json',
    null,
    405,
    { allow: 'OPTIONS,GET', 'content-type': 'text/plain; charset=utf-8', 'content-length': '25' },
    'method DELETE not allowed',
  ],
  [
    'PROPFIND',
    '/v1/json',
    null,
    405,
    { allow: 'OPTIONS,GET', 'content-type': 'text/plain; charset=utf-8', 'content-length': '27' },
    'method PROPFIND not allowed',
  ],
  [
    'OPTIONS',
    '/v1/json',
    null,
    200,
    { allow: 'OPTIONS,GET', 'content-type': 'text/plain; charset=utf-8', 'content-length': '0' },
    '',
  ],
  [
    'OPTIONS',
    '/v1/nothing',
    null,
    404,
    {
      'x-consul-index': '9',
      'x-consul-knownleader': 'true',
      'content-type': 'text/plain; charset=utf-8',
      'content-length': '26',
    },
    'path /v1/nothing not found',
  ],
  ['OPTIONS', '/nothing', null, 404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '9' }, 'Not Found'],
  [
    'GET',
    '/v1/nothing?x=1',
    null,
    404,
    {
      'x-consul-index': '9',
      'x-consul-knownleader': 'true',
      'content-type': 'text/plain; charset=utf-8',
      'content-length': '26',
    },
    'path /v1/nothing not found',
  ],
  [
    'PUT',
    '/v1/nothing',
    null,
    404,
    {
      'x-consul-index': '9',
      'x-consul-knownleader': 'true',
      'content-type': 'text/plain; charset=utf-8',
      'content-length': '26',
    },
    'path /v1/nothing not found',
  ],
  [
    'HEAD',
    '/v1/nothing',
    null,
    404,
    {
      'x-consul-index': '9',
      'x-consul-knownleader': 'true',
      'content-type': 'text/plain; charset=utf-8',
      'content-length': '26',
    },
    '',
  ],
  ['GET', '/nothing', null, 404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '9' }, 'Not Found'],
  ['HEAD', '/nothing', null, 404, {}, ''],
  ['PUT', '/nothing', null, 404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '9' }, 'Not Found'],
  [
    'GET',
    '/v1/query?a=1&a=2&b=x+y&c=%2F&token=t3',
    null,
    200,
    { 'content-type': 'application/json; charset=utf-8', 'content-length': '77' },
    '{"q":[["a","1"],["a","2"],["b","x y"],["c","/"],["token","t3"]],"token":"t3"}',
  ],
  [
    'GET',
    '/v1/query',
    { headers: { 'X-Consul-Token': 't1' } },
    200,
    { 'content-type': 'application/json; charset=utf-8', 'content-length': '21' },
    '{"q":[],"token":"t1"}',
  ],
  [
    'GET',
    '/v1/query',
    { headers: { Authorization: 'Bearer  t2 ' } },
    200,
    { 'content-type': 'application/json; charset=utf-8', 'content-length': '21' },
    '{"q":[],"token":"t2"}',
  ],
  [
    'GET',
    '/v1/query',
    { headers: { Authorization: 'Basic xx' } },
    200,
    { 'content-type': 'application/json; charset=utf-8', 'content-length': '21' },
    '{"q":[],"token":null}',
  ],
  [
    'GET',
    '/v1/query?token=q',
    { headers: { Authorization: 'bearer t2', 'X-Consul-Token': 't1' } },
    200,
    { 'content-type': 'application/json; charset=utf-8', 'content-length': '34' },
    '{"q":[["token","q"]],"token":"t1"}',
  ],
  [
    'GET',
    '/v1/query?token=q',
    { headers: { Authorization: 'bearer t2' } },
    200,
    { 'content-type': 'application/json; charset=utf-8', 'content-length': '34' },
    '{"q":[["token","q"]],"token":"t2"}',
  ],
];

describe('HTTP answers (pinned from koa)', () => {
  const HOST = '127.0.85.1';
  let server: Server;
  let port = 0;
  before(async () => {
    const app = createHttpApp(endpoints, new NullLogger(), {
      unknownApiPath: async (req) => ({
        status: 404,
        headers: { 'X-Consul-Index': '9', 'X-Consul-KnownLeader': 'true', 'Content-Type': 'application/json' },
        body: `path ${req.path} not found`,
      }),
    });
    server = createServer(app.callback());
    await new Promise<void>((r) => server.listen(0, HOST, r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  for (const [method, target, opts, status, headers, body] of CASES) {
    it(`${method} ${target}${opts ? ' ' + JSON.stringify(opts) : ''} → ${status}`, async () => {
      const r = await rawRequest(HOST, port, method, target, opts ?? {});
      const got: Record<string, string> = { ...r.headers };
      delete got['date'];
      delete got['connection'];
      expect(r.status).to.equal(status);
      expect(got).to.deep.equal(headers);
      expect(r.body).to.equal(body);
    });
  }
});
