import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NullLogger, type HttpEndpoint, type HttpMethod } from '@proconsul/kernel';
import { createHttpApp } from './http-app.js';
import { rawRequest } from './test-support/raw-http.js';

/**
 * Which route answers a request path, and with which decoded parameters: pinned from what
 * koa-router 15 (path-to-regexp 8) answered before the API moved to its own router, so KV
 * keys with `%2F`, spaces, `+` and unicode, case, trailing slashes and optional groups keep
 * behaving as clients saw them. Each row: method, raw request target, status, and the
 * pattern + params that answered (or the body of the 404/405), and `Allow`.
 */
const PATTERNS: [string, HttpMethod[]][] = [
  ['/v1/kv{/*key}', ['GET', 'PUT', 'DELETE']],
  ['/v1/kv/app/port', ['POST']],
  ['/v1/agent/service/:id', ['GET']],
  ['/v1/agent/service/deregister/:id', ['PUT']],
  ['/v1/query/:id', ['GET', 'PUT']],
  ['/v1/query/:id/execute', ['GET']],
  ['/v1/config/:kind', ['GET']],
  ['/v1/config/:kind/:name', ['GET', 'DELETE']],
  ['/v1/event/fire{/*name}', ['PUT']],
  ['/v1/acl/*rest', ['GET']],
  ['/v1/status/leader', ['GET']],
  ['/ui/', ['GET']],
  ['/ui/*file', ['GET']],
  ['/', ['GET']],
  ['/ui', ['GET']],
];

type Answer = { p: string; m: string; path: string; params: Record<string, string> } | string;
const CASES: [string, string, number, Answer, string | null][] = [
  ['GET', '/v1/kv', 200, { p: '/v1/kv{/*key}', m: 'GET', path: '/v1/kv', params: {} }, null],
  ['GET', '/v1/kv/', 200, { p: '/v1/kv{/*key}', m: 'GET', path: '/v1/kv/', params: {} }, null],
  ['GET', '/v1/kv/a', 200, { p: '/v1/kv{/*key}', m: 'GET', path: '/v1/kv/a', params: { key: 'a' } }, null],
  ['GET', '/v1/kv/a/', 200, { p: '/v1/kv{/*key}', m: 'GET', path: '/v1/kv/a/', params: { key: 'a/' } }, null],
  ['GET', '/v1/kv/a/b/c', 200, { p: '/v1/kv{/*key}', m: 'GET', path: '/v1/kv/a/b/c', params: { key: 'a/b/c' } }, null],
  ['GET', '/v1/kv/a%2Fb', 200, { p: '/v1/kv{/*key}', m: 'GET', path: '/v1/kv/a%2Fb', params: { key: 'a/b' } }, null],
  ['GET', '/v1/kv/a%20b', 200, { p: '/v1/kv{/*key}', m: 'GET', path: '/v1/kv/a%20b', params: { key: 'a b' } }, null],
  ['GET', '/v1/kv/a+b', 200, { p: '/v1/kv{/*key}', m: 'GET', path: '/v1/kv/a+b', params: { key: 'a+b' } }, null],
  ['GET', '/v1/kv/%E2%9C%93', 200, { p: '/v1/kv{/*key}', m: 'GET', path: '/v1/kv/%E2%9C%93', params: { key: '✓' } }, null],
  ['GET', '/v1/kv/✓', 400, '', null],
  ['GET', '/v1/kv/a%ZZ', 200, { p: '/v1/kv{/*key}', m: 'GET', path: '/v1/kv/a%ZZ', params: { key: 'a%ZZ' } }, null],
  ['GET', '/v1/kv/%', 200, { p: '/v1/kv{/*key}', m: 'GET', path: '/v1/kv/%', params: { key: '%' } }, null],
  ['GET', '/V1/KV/Foo', 200, { p: '/v1/kv{/*key}', m: 'GET', path: '/V1/KV/Foo', params: { key: 'Foo' } }, null],
  ['GET', '/v1/kv//a', 200, { p: '/v1/kv{/*key}', m: 'GET', path: '/v1/kv//a', params: { key: '/a' } }, null],
  ['GET', '/v1/kv/a//', 200, { p: '/v1/kv{/*key}', m: 'GET', path: '/v1/kv/a//', params: { key: 'a//' } }, null],
  ['GET', '/v1/kvx', 404, 'nope', null],
  ['GET', '/v1/kv/a?x=1&y', 200, { p: '/v1/kv{/*key}', m: 'GET', path: '/v1/kv/a', params: { key: 'a' } }, null],
  ['GET', '/v1/kv/a%3Fb?recurse', 200, { p: '/v1/kv{/*key}', m: 'GET', path: '/v1/kv/a%3Fb', params: { key: 'a?b' } }, null],
  ['GET', '/v1/kv/%2e%2e/x', 200, { p: '/v1/kv{/*key}', m: 'GET', path: '/v1/kv/%2e%2e/x', params: { key: '../x' } }, null],
  ['GET', '/v1/kv/../x', 200, { p: '/v1/kv{/*key}', m: 'GET', path: '/v1/kv/../x', params: { key: '../x' } }, null],
  ['GET', '/v1/kv/a;b', 200, { p: '/v1/kv{/*key}', m: 'GET', path: '/v1/kv/a;b', params: { key: 'a;b' } }, null],
  ['GET', '/v1/kv/a\'b"c', 200, { p: '/v1/kv{/*key}', m: 'GET', path: '/v1/kv/a\'b"c', params: { key: 'a\'b"c' } }, null],
  ['GET', '/v1/kv/a#frag', 200, { p: '/v1/kv{/*key}', m: 'GET', path: '/v1/kv/a', params: { key: 'a' } }, null],
  ['GET', '/v1/kv/a b', 400, '', null],
  ['GET', '/v1/kv/a\\b', 200, { p: '/v1/kv{/*key}', m: 'GET', path: '/v1/kv/a\\b', params: { key: 'a\\b' } }, null],
  [
    'GET',
    '/v1/kv/a{b}|c^`<>',
    200,
    { p: '/v1/kv{/*key}', m: 'GET', path: '/v1/kv/a{b}|c^`<>', params: { key: 'a{b}|c^`<>' } },
    null,
  ],
  ['GET', '/v1/kv/%00', 200, { p: '/v1/kv{/*key}', m: 'GET', path: '/v1/kv/%00', params: { key: '\u0000' } }, null],
  ['GET', '/v1/kv/a%252F', 200, { p: '/v1/kv{/*key}', m: 'GET', path: '/v1/kv/a%252F', params: { key: 'a%2F' } }, null],
  ['PUT', '/v1/kv/app/port', 200, { p: '/v1/kv{/*key}', m: 'PUT', path: '/v1/kv/app/port', params: { key: 'app/port' } }, null],
  ['POST', '/v1/kv/app/port', 200, { p: '/v1/kv/app/port', m: 'POST', path: '/v1/kv/app/port', params: {} }, null],
  ['POST', '/v1/kv/app/port/', 200, { p: '/v1/kv/app/port', m: 'POST', path: '/v1/kv/app/port/', params: {} }, null],
  ['DELETE', '/v1/kv/x', 200, { p: '/v1/kv{/*key}', m: 'DELETE', path: '/v1/kv/x', params: { key: 'x' } }, null],
  ['HEAD', '/v1/kv/x', 200, '', null],
  ['PATCH', '/v1/kv/x', 405, 'method PATCH not allowed', 'OPTIONS,GET,PUT,DELETE'],
  [
    'GET',
    '/v1/agent/service/web',
    200,
    { p: '/v1/agent/service/:id', m: 'GET', path: '/v1/agent/service/web', params: { id: 'web' } },
    null,
  ],
  [
    'GET',
    '/v1/agent/service/web/',
    200,
    { p: '/v1/agent/service/:id', m: 'GET', path: '/v1/agent/service/web/', params: { id: 'web' } },
    null,
  ],
  [
    'GET',
    '/v1/agent/service/a%2Fb',
    200,
    { p: '/v1/agent/service/:id', m: 'GET', path: '/v1/agent/service/a%2Fb', params: { id: 'a/b' } },
    null,
  ],
  ['GET', '/v1/agent/service/a/b', 404, 'nope', null],
  ['GET', '/v1/agent/service/', 404, 'nope', null],
  ['GET', '/v1/agent/service', 404, 'nope', null],
  [
    'PUT',
    '/v1/agent/service/deregister/x',
    200,
    { p: '/v1/agent/service/deregister/:id', m: 'PUT', path: '/v1/agent/service/deregister/x', params: { id: 'x' } },
    null,
  ],
  ['GET', '/v1/agent/service/deregister/x', 405, 'method GET not allowed', 'OPTIONS,PUT'],
  [
    'GET',
    '/v1/agent/service/deregister',
    200,
    { p: '/v1/agent/service/:id', m: 'GET', path: '/v1/agent/service/deregister', params: { id: 'deregister' } },
    null,
  ],
  ['GET', '/v1/query/q1', 200, { p: '/v1/query/:id', m: 'GET', path: '/v1/query/q1', params: { id: 'q1' } }, null],
  ['PUT', '/v1/query/q1', 200, { p: '/v1/query/:id', m: 'PUT', path: '/v1/query/q1', params: { id: 'q1' } }, null],
  [
    'GET',
    '/v1/query/q1/execute',
    200,
    { p: '/v1/query/:id/execute', m: 'GET', path: '/v1/query/q1/execute', params: { id: 'q1' } },
    null,
  ],
  [
    'GET',
    '/v1/query/q1/EXECUTE/',
    200,
    { p: '/v1/query/:id/execute', m: 'GET', path: '/v1/query/q1/EXECUTE/', params: { id: 'q1' } },
    null,
  ],
  ['GET', '/v1/query/q1/explain', 404, 'nope', null],
  ['GET', '/v1/config/k', 200, { p: '/v1/config/:kind', m: 'GET', path: '/v1/config/k', params: { kind: 'k' } }, null],
  [
    'GET',
    '/v1/config/k/n',
    200,
    { p: '/v1/config/:kind/:name', m: 'GET', path: '/v1/config/k/n', params: { kind: 'k', name: 'n' } },
    null,
  ],
  [
    'GET',
    '/v1/config/k/n/',
    200,
    { p: '/v1/config/:kind/:name', m: 'GET', path: '/v1/config/k/n/', params: { kind: 'k', name: 'n' } },
    null,
  ],
  [
    'DELETE',
    '/v1/config/k/n%20m',
    200,
    { p: '/v1/config/:kind/:name', m: 'DELETE', path: '/v1/config/k/n%20m', params: { kind: 'k', name: 'n m' } },
    null,
  ],
  ['GET', '/v1/config/k/n/x', 404, 'nope', null],
  ['PUT', '/v1/event/fire', 200, { p: '/v1/event/fire{/*name}', m: 'PUT', path: '/v1/event/fire', params: {} }, null],
  [
    'PUT',
    '/v1/event/fire/x%2Fy',
    200,
    { p: '/v1/event/fire{/*name}', m: 'PUT', path: '/v1/event/fire/x%2Fy', params: { name: 'x/y' } },
    null,
  ],
  [
    'PUT',
    '/v1/event/fire/x/y',
    200,
    { p: '/v1/event/fire{/*name}', m: 'PUT', path: '/v1/event/fire/x/y', params: { name: 'x/y' } },
    null,
  ],
  [
    'GET',
    '/v1/acl/token/abc',
    200,
    { p: '/v1/acl/*rest', m: 'GET', path: '/v1/acl/token/abc', params: { rest: 'token/abc' } },
    null,
  ],
  ['GET', '/v1/acl/', 404, 'nope', null],
  ['GET', '/v1/acl', 404, 'nope', null],
  ['GET', '/v1/status/leader', 200, { p: '/v1/status/leader', m: 'GET', path: '/v1/status/leader', params: {} }, null],
  ['GET', '/v1/STATUS/Leader/', 200, { p: '/v1/status/leader', m: 'GET', path: '/v1/STATUS/Leader/', params: {} }, null],
  ['GET', '/v1/status/leader//', 404, 'nope', null],
  ['GET', '/ui', 200, { p: '/ui', m: 'GET', path: '/ui', params: {} }, null],
  ['GET', '/ui/', 200, { p: '/ui/', m: 'GET', path: '/ui/', params: {} }, null],
  ['GET', '/ui/a/b.js', 200, { p: '/ui/*file', m: 'GET', path: '/ui/a/b.js', params: { file: 'a/b.js' } }, null],
  ['GET', '/UI/x', 200, { p: '/ui/*file', m: 'GET', path: '/UI/x', params: { file: 'x' } }, null],
  ['GET', '/', 200, { p: '/', m: 'GET', path: '/', params: {} }, null],
  ['GET', '//', 200, { p: '/', m: 'GET', path: '//', params: {} }, null],
  ['GET', '/uix', 404, 'Not Found', null],
  ['GET', '/v1', 404, 'nope', null],
  ['GET', '/v1/', 404, 'nope', null],
  ['GET', '/nothing', 404, 'Not Found', null],
  ['OPTIONS', '/v1/kv/a', 200, '', 'OPTIONS,GET,PUT,DELETE'],
  ['OPTIONS', '/v1/config/k/n', 200, '', 'OPTIONS,GET,DELETE'],
  ['PROPFIND', '/v1/kv/a', 405, 'method PROPFIND not allowed', 'OPTIONS,GET,PUT,DELETE'],
  ['GET', '*', 404, 'Not Found', null],
  [
    'GET',
    'http://example.com/v1/kv/abs?x',
    200,
    { p: '/v1/kv{/*key}', m: 'GET', path: '/v1/kv/abs', params: { key: 'abs' } },
    null,
  ],
];

describe('route matching (pinned from koa-router 15)', () => {
  const HOST = '127.0.85.1';
  let server: Server;
  let port = 0;
  before(async () => {
    const endpoints: HttpEndpoint[] = PATTERNS.map(([p, methods]) => ({
      method: methods,
      path: p,
      handle: async (r) => ({ body: { p, m: r.method, path: r.path, params: r.params } }),
    }));
    const app = createHttpApp(endpoints, new NullLogger(), {
      unknownApiPath: async () => ({ status: 404, headers: { 'X-Consul-Index': '1' }, body: 'nope' }),
    });
    server = createServer(app.callback());
    await new Promise<void>((r) => server.listen(0, HOST, r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  for (const [method, target, status, answer, allow] of CASES) {
    it(`${method} ${target} → ${status} ${typeof answer === 'string' ? JSON.stringify(answer) : answer.p}`, async () => {
      const r = await rawRequest(HOST, port, method, target);
      expect(r.status).to.equal(status);
      expect(r.headers['allow'] ?? null).to.equal(allow);
      if (typeof answer === 'string') expect(r.body).to.equal(answer);
      else expect(JSON.parse(r.body)).to.deep.equal(answer);
    });
  }
});
