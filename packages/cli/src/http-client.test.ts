import { expect } from 'chai';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCoded } from '@proconsul/kernel';
import { parseFlags } from './commands/support/flag-set.js';
import { ConsulHttpClient, HTTP_CLIENT_FLAGS, HTTP_SERVER_FLAGS, normalizeAddress, resolveHttpOptions } from './http-client.js';
import { FakeConsulServer } from './test/fake-consul-server.js';
import { runCaptured } from './test/run-command.js';

/** A port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

const FLAGS = [...HTTP_CLIENT_FLAGS, ...HTTP_SERVER_FLAGS];
const opts = (argv: string[], env: Record<string, string> = {}) => resolveHttpOptions(parseFlags(FLAGS, argv), env);

describe('HTTP client options', () => {
  it('takes -http-addr over CONSUL_HTTP_ADDR over the default', () => {
    expect(opts([]).baseUrl).to.equal('http://127.0.0.1:8500');
    expect(opts([], { CONSUL_HTTP_ADDR: '10.0.0.1:8500' }).baseUrl).to.equal('http://10.0.0.1:8500');
    expect(opts(['-http-addr', 'https://a.example:9'], { CONSUL_HTTP_ADDR: '10.0.0.1:8500' }).baseUrl).to.equal(
      'https://a.example:9',
    );
  });

  it('adds http:// to a bare address, https:// under CONSUL_HTTP_SSL, and refuses other schemes', () => {
    expect(normalizeAddress('127.0.0.2:18500')).to.equal('http://127.0.0.2:18500');
    expect(opts([], { CONSUL_HTTP_ADDR: 'h:1', CONSUL_HTTP_SSL: 'true' }).baseUrl).to.equal('https://h:1');
    expect(() => normalizeAddress('unix:///tmp/s')).to.throw(/unix sockets/);
    expect(() => normalizeAddress('ftp://x:1')).to.throw(/unknown scheme/);
  });

  it('takes -token over -token-file over CONSUL_HTTP_TOKEN over CONSUL_HTTP_TOKEN_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-token-'));
    writeFileSync(join(dir, 'flag'), 'from-flag-file\n');
    writeFileSync(join(dir, 'env'), 'from-env-file\n');
    const env = { CONSUL_HTTP_TOKEN: 'from-env', CONSUL_HTTP_TOKEN_FILE: join(dir, 'env') };
    expect(opts(['-token', 't', '-token-file', join(dir, 'flag')], env).token).to.equal('t');
    expect(opts(['-token-file', join(dir, 'flag')], env).token).to.equal('from-flag-file');
    expect(opts([], env).token).to.equal('from-env');
    expect(opts([], { CONSUL_HTTP_TOKEN_FILE: join(dir, 'env') }).token).to.equal('from-env-file');
    expect(opts([]).token).to.equal(undefined);
  });

  it('adds ?dc= and ?stale to every request, and encodes repeated parameters', () => {
    const c = new ConsulHttpClient(opts(['-datacenter', 'dc2', '-stale']));
    expect(c.url('/v1/kv/a b', { recurse: true, 'node-meta': ['a:1', 'b:2'], cas: undefined })).to.equal(
      'http://127.0.0.1:8500/v1/kv/a%20b?recurse&node-meta=a%3A1&node-meta=b%3A2&dc=dc2&stale',
    );
  });
});

describe('HTTP client against a fake agent', () => {
  const fake = new FakeConsulServer();
  before(() => fake.start());
  after(() => fake.stop());

  it('sends X-Consul-Token and returns X-Consul-Index', async () => {
    fake.on('GET', '/v1/catalog/datacenters', { body: ['dc1'], headers: { 'X-Consul-Index': '42' } });
    const res = await new ConsulHttpClient({ baseUrl: fake.url, token: 'secret' }).get('/v1/catalog/datacenters');
    expect(res.index).to.equal(42);
    expect(res.json<string[]>()).to.deep.equal(['dc1']);
    expect(fake.last('GET', '/v1/catalog/datacenters').headers['x-consul-token']).to.equal('secret');
  });

  it("reports an HTTP error status in Consul's words", async () => {
    fake.on('GET', '/v1/agent/members', { status: 400, body: 'Bad request: nope\n' });
    try {
      await new ConsulHttpClient({ baseUrl: fake.url }).get('/v1/agent/members');
      expect.fail('no error');
    } catch (e) {
      expect(isCoded(e, 'CLI_HTTP_UNEXPECTED_STATUS')).to.equal(true);
      expect((e as Error).message).to.equal('Unexpected response code: 400 (Bad request: nope)');
    }
  });

  it('uses CONSUL_HTTP_ADDR from the command environment (no scheme) and exits 1 on an HTTP error', async () => {
    fake.on('GET', '/v1/catalog/datacenters', { status: 500, body: 'No cluster leader' });
    const r = await runCaptured(['catalog', 'datacenters'], { env: { CONSUL_HTTP_ADDR: fake.hostPort } });
    expect(r.code).to.equal(1);
    expect(r.err.trim()).to.equal('Error listing datacenters: Unexpected response code: 500 (No cluster leader)');
  });

  it('names the address when the agent cannot be reached, exit 1', async () => {
    const port = await freePort();
    const r = await runCaptured(['kv', 'get', '-http-addr', `127.0.0.1:${port}`, 'foo']);
    expect(r.code).to.equal(1);
    expect(r.err.trim()).to.equal(
      `Error querying Consul agent: Get "http://127.0.0.1:${port}/v1/kv/foo": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    );
  });

  it('names an unknown flag and exits 1', async () => {
    const r = await runCaptured(['kv', 'get', '-frobnicate', 'foo']);
    expect(r.code).to.equal(1);
    expect(r.err).to.contain('flag provided but not defined: -frobnicate').and.to.contain('Usage: proconsul kv get');
  });

  it('fails before any request when the token file is missing', async () => {
    const before = fake.requests.length;
    const r = await runCaptured(['catalog', 'datacenters', '-http-addr', fake.url, '-token-file', '/nonexistent/token']);
    expect(r.code).to.equal(1);
    expect(r.err).to.contain('/nonexistent/token');
    expect(fake.requests.length).to.equal(before);
  });
});
