import { expect } from 'chai';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BadRequest, NullLogger, type HttpEndpoint } from '@proconsul/kernel';
import { decodeJsonBody } from '@proconsul/http';
import { createHttpApp } from './http-app.js';
import { injectHttp } from './inject.js';

const schema = {
  type: 'object',
  required: ['Name'],
  properties: { Name: { type: 'string', minLength: 1 }, Port: { type: 'integer', maximum: 65535 } },
};

const endpoints: HttpEndpoint[] = [
  { method: 'GET', path: '/v1/echo/:name', handle: async (r) => ({ body: { name: r.params['name'], token: r.token ?? null } }) },
  { method: 'GET', path: '/v1/kv/{*key}', handle: async (r) => ({ body: { key: r.params['key'] ?? '' } }) },
  {
    method: 'PUT',
    path: '/v1/things',
    handle: async (r) => ({ body: decodeJsonBody<{ Name: string }>(r.body, schema).Name, headers: { 'X-Consul-Index': '7' } }),
  },
  {
    method: 'GET',
    path: '/v1/client-mistake',
    handle: async () => {
      throw BadRequest('Missing node name');
    },
  },
  {
    method: 'GET',
    path: '/v1/our-bug',
    handle: async () => {
      throw new Error('kaput');
    },
  },
];

describe('HTTP frontend skeleton', () => {
  const app = createHttpApp(endpoints, new NullLogger());

  it('serves JSON, compact by default and indented with ?pretty', async () => {
    const plain = await injectHttp(app, { url: '/v1/echo/web' });
    expect(plain.status).to.equal(200);
    expect(plain.headers['content-type']).to.contain('application/json');
    expect(plain.text).to.equal('{"name":"web","token":null}');
    const pretty = await injectHttp(app, { url: '/v1/echo/web?pretty' });
    expect(pretty.text).to.contain('\n    "name": "web"');
  });

  it('reads the token from X-Consul-Token, Authorization: Bearer and ?token=', async () => {
    expect((await injectHttp(app, { url: '/v1/echo/a', headers: { 'X-Consul-Token': 't1' } })).json()).to.deep.include({
      token: 't1',
    });
    expect((await injectHttp(app, { url: '/v1/echo/a', headers: { Authorization: 'Bearer t2' } })).json()).to.deep.include({
      token: 't2',
    });
    expect((await injectHttp(app, { url: '/v1/echo/a?token=t3' })).json()).to.deep.include({ token: 't3' });
  });

  it('keeps slashes in wildcard parameters', async () => {
    expect((await injectHttp(app, { url: '/v1/kv/a/b/c' })).json()).to.deep.equal({ key: 'a/b/c' });
  });

  it('answers 404 for unknown paths and 405 for a wrong method', async () => {
    expect((await injectHttp(app, { url: '/v1/nothing' })).status).to.equal(404);
    expect((await injectHttp(app, { method: 'DELETE', url: '/v1/echo/x' })).status).to.equal(405);
  });

  it('validates bodies with plain-text 400 reasons and applies nothing', async () => {
    const ok = await injectHttp(app, { method: 'PUT', url: '/v1/things', body: { Name: 'web', Port: 80 } });
    expect(ok.status).to.equal(200);
    expect(ok.headers['x-consul-index']).to.equal('7');
    const bad = await injectHttp(app, { method: 'PUT', url: '/v1/things', body: { Name: 'web', Port: 70000 } });
    expect(bad.status).to.equal(400);
    expect(bad.headers['content-type']).to.contain('text/plain');
    expect(bad.text).to.contain('Port');
    const garbage = await injectHttp(app, { method: 'PUT', url: '/v1/things', body: '{nope' });
    expect(garbage.status).to.equal(400);
    expect(garbage.text).to.contain('Request decode failed');
    const empty = await injectHttp(app, { method: 'PUT', url: '/v1/things' });
    expect(empty.status).to.equal(400);
  });

  it('maps coded client errors to their status and only our faults to 500', async () => {
    const mistake = await injectHttp(app, { url: '/v1/client-mistake' });
    expect(mistake.status).to.equal(400);
    expect(mistake.text).to.equal('Missing node name');
    const bug = await injectHttp(app, { url: '/v1/our-bug' });
    expect(bug.status).to.equal(500);
  });
});

describe('HTTP frontend over a real socket', () => {
  it('aborts req.signal when the client disconnects, and not when the response completes', async () => {
    const seen: { path: string; aborted: boolean }[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const held: HttpEndpoint = {
      method: 'GET',
      path: '/v1/held/:name',
      handle: async (r) => {
        const record = { path: r.path, aborted: false };
        seen.push(record);
        r.signal.addEventListener('abort', () => (record.aborted = true), { once: true });
        if (r.params['name'] === 'quick') return { body: 'ok' };
        await Promise.race([gate, new Promise((resolve) => r.signal.addEventListener('abort', resolve, { once: true }))]);
        return { body: 'late' };
      },
    };
    const server = createServer(createHttpApp([held], new NullLogger()).callback());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const quick = await fetch(`http://127.0.0.1:${port}/v1/held/quick`);
      expect(await quick.text()).to.equal('ok');
      // A client that hangs up while the handler waits (a blocking query) cancels it.
      const req = request({ host: '127.0.0.1', port, path: '/v1/held/slow' });
      req.on('error', () => {});
      req.end();
      while (seen.length < 2) await new Promise((r) => setTimeout(r, 5));
      req.destroy();
      const deadline = Date.now() + 2000;
      while (!seen[1]!.aborted && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      expect(seen[1]!.aborted, 'aborted after disconnect').to.equal(true);
      expect(seen[0]!.aborted, 'a completed request is not aborted').to.equal(false);
    } finally {
      release();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('gives an aborted req.signal to a handler that first asks for it after the client left', async () => {
    // The signal is made on first use: a client gone by then must still read as gone.
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let entered = false;
    let aborted: boolean | undefined;
    const late: HttpEndpoint = {
      method: 'GET',
      path: '/v1/late',
      handle: async (r) => {
        entered = true;
        await gate;
        aborted = r.signal.aborted;
        return { body: 'late' };
      },
    };
    const server = createServer(createHttpApp([late], new NullLogger()).callback());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const req = request({ host: '127.0.0.1', port, path: '/v1/late' });
      req.on('error', () => {});
      req.end();
      while (!entered) await new Promise((r) => setTimeout(r, 5));
      req.destroy();
      await new Promise((r) => setTimeout(r, 100)); // the server sees the close
      release();
      const deadline = Date.now() + 2000;
      while (aborted === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      expect(aborted).to.equal(true);
    } finally {
      release();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('hands an endpoint the whole body however many chunks it arrives in', async () => {
    let got = '';
    const echo: HttpEndpoint = {
      method: 'PUT',
      path: '/v1/body',
      handle: async (r) => {
        got = r.body.toString();
        return { body: r.body.length };
      },
    };
    const server = createServer(createHttpApp([echo], new NullLogger()).callback());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/v1/body', method: 'PUT' }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.write('first-');
        setTimeout(() => {
          req.write('second-');
          setTimeout(() => req.end('third'), 20);
        }, 20);
      });
      expect(status).to.equal(200);
      expect(got).to.equal('first-second-third');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
