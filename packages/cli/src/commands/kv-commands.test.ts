import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeConsulServer } from '../test/fake-consul-server.js';
import { runCaptured } from '../test/run-command.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const pair = (Key: string, value: string, extra: Record<string, unknown> = {}) => ({
  Key,
  Value: b64(value),
  Flags: 0,
  CreateIndex: 100,
  ModifyIndex: 200,
  LockIndex: 0,
  ...extra,
});

describe('kv commands (fake agent)', () => {
  const fake = new FakeConsulServer();
  let env: Record<string, string>;
  before(async () => {
    await fake.start();
    env = { CONSUL_HTTP_ADDR: fake.url };
  });
  after(() => fake.stop());
  const run = (...argv: string[]) => runCaptured(argv, { env });

  it('kv get prints the raw value; a missing key is an error with exit 1', async () => {
    fake.on('GET', '/v1/kv/redis/config/connections', { body: [pair('redis/config/connections', '5')] });
    expect(await run('kv', 'get', '/redis/config/connections')).to.deep.equal({ code: 0, out: '5\n', err: '' });
    const missing = await run('kv', 'get', 'nope');
    expect(missing.code).to.equal(1);
    expect(missing.err.trim()).to.equal('Error! No key exists at: nope');
    const noKey = await run('kv', 'get');
    expect([noKey.code, noKey.err.trim()]).to.deep.equal([1, 'Error! Missing KEY argument']);
  });

  it('kv get -detailed aligns the fields as Consul does (tabwriter padding 6)', async () => {
    fake.on('GET', '/v1/kv/redis/config/users/admin', {
      body: [
        pair('redis/config/users/admin', 'abcd1234', {
          Flags: 42,
          LockIndex: 3,
          Session: 'adf4238a-882b-9ddc-4a9d-5b6758e4159e',
        }),
      ],
    });
    const r = await run('kv', 'get', '-detailed', 'redis/config/users/admin');
    expect(r.code).to.equal(0);
    expect(r.out).to.equal(
      [
        'CreateIndex      100',
        'Flags            42',
        'Key              redis/config/users/admin',
        'LockIndex        3',
        'ModifyIndex      200',
        'Session          adf4238a-882b-9ddc-4a9d-5b6758e4159e',
        'Value            abcd1234',
        '',
      ].join('\n'),
    );
    const noSession = await run('kv', 'get', '-detailed', '-base64', 'redis/config/connections');
    expect(noSession.out)
      .to.contain('Session          -\n')
      .and.to.contain(`Value            ${b64('5')}\n`);
  });

  it('kv get -recurse prints key:value lines; -keys sends the separator', async () => {
    fake.on('GET', '/v1/kv/redis', (req) =>
      req.query.has('recurse')
        ? { body: [pair('redis/a', '1'), pair('redis/b', 'two')] }
        : req.query.has('keys')
          ? { body: ['redis/a', 'redis/config/'] }
          : { status: 404 },
    );
    expect((await run('kv', 'get', '-recurse', 'redis')).out).to.equal('redis/a:1\nredis/b:two\n');
    const keys = await run('kv', 'get', '-keys', '-separator=/', 'redis');
    expect(keys.out).to.equal('redis/a\nredis/config/\n');
    expect(fake.last('GET', '/v1/kv/redis').query.get('separator')).to.equal('/');
    const detailed = await run('kv', 'get', '-recurse', '-detailed', 'redis');
    expect(detailed.out.split('\n\n')).to.have.length(2);
  });

  it('kv put writes a value, from "-" (stdin) and from @file, with flags', async () => {
    fake.on('PUT', '/v1/kv/redis/config/connections', { body: 'true' });
    const r = await run('kv', 'put', '-flags=42', 'redis/config/connections', '5');
    expect(r).to.deep.equal({ code: 0, out: 'Success! Data written to: redis/config/connections\n', err: '' });
    const req = fake.last('PUT', '/v1/kv/redis/config/connections');
    expect([req.body.toString(), req.query.get('flags')]).to.deep.equal(['5', '42']);

    await runCaptured(['kv', 'put', 'redis/config/connections', '-'], { env, stdin: 'from stdin\n' });
    expect(fake.last('PUT', '/v1/kv/redis/config/connections').body.toString()).to.equal('from stdin\n');

    const file = join(mkdtempSync(join(tmpdir(), 'pc-kv-')), 'license.lic');
    writeFileSync(file, 'file contents');
    await run('kv', 'put', 'redis/config/connections', `@${file}`);
    expect(fake.last('PUT', '/v1/kv/redis/config/connections').body.toString()).to.equal('file contents');

    await run('kv', 'put', '-base64', 'redis/config/connections', b64('decoded'));
    expect(fake.last('PUT', '/v1/kv/redis/config/connections').body.toString()).to.equal('decoded');
  });

  it("kv put -cas sends cas=<index> and reports a refused CAS in Consul's words", async () => {
    fake.on('PUT', '/v1/kv/k', (req) => ({ body: req.query.get('cas') === '7' ? 'true' : 'false' }));
    expect((await run('kv', 'put', '-cas', '-modify-index=7', 'k', 'v')).code).to.equal(0);
    const refused = await run('kv', 'put', '-cas', '-modify-index=6', 'k', 'v');
    expect([refused.code, refused.err.trim()]).to.deep.equal([1, 'Error! Did not write to k: CAS failed']);
    const noIndex = await run('kv', 'put', '-cas', 'k', 'v');
    expect([noIndex.code, noIndex.err.trim()]).to.deep.equal([1, 'Must specify -modify-index with -cas!']);
  });

  it('kv put -acquire/-release need -session and use ?acquire= / ?release=', async () => {
    const bad = await run('kv', 'put', '-acquire', 'k');
    expect([bad.code, bad.err.trim()]).to.deep.equal([1, 'Error! Missing -session (required with -acquire and -release)']);
    fake.on('PUT', '/v1/kv/lk', (req) => ({
      body: req.query.get('acquire') === 's1' || req.query.get('release') === 's1' ? 'true' : 'false',
    }));
    expect((await run('kv', 'put', '-acquire', '-session=s1', 'lk')).out.trim()).to.equal('Success! Lock acquired on: lk');
    expect((await run('kv', 'put', '-release', '-session=s1', 'lk')).out.trim()).to.equal('Success! Lock released on: lk');
    const held = await run('kv', 'put', '-acquire', '-session=s2', 'lk');
    expect([held.code, held.err.trim()]).to.deep.equal([1, 'Error! Did not acquire lock']);
  });

  it('kv delete: plain, -recurse, -cas and its validation', async () => {
    fake.on('DELETE', '/v1/kv/d', (req) => ({ body: req.query.has('cas') ? String(req.query.get('cas') === '9') : 'true' }));
    expect((await run('kv', 'delete', 'd')).out.trim()).to.equal('Success! Deleted key: d');
    expect((await run('kv', 'delete', '-recurse', 'd')).out.trim()).to.equal('Success! Deleted keys with prefix: d');
    expect(fake.last('DELETE', '/v1/kv/d').query.has('recurse')).to.equal(true);
    expect((await run('kv', 'delete', '-cas', '-modify-index=9', 'd')).code).to.equal(0);
    const failed = await run('kv', 'delete', '-cas', '-modify-index=8', 'd');
    expect([failed.code, failed.err.trim()]).to.deep.equal([1, 'Error! Did not delete key d: CAS failed']);
    expect((await run('kv', 'delete', '-modify-index=8', 'd')).err.trim()).to.equal('Cannot specify -modify-index without -cas!');
    expect((await run('kv', 'delete', '-recurse', '-cas', '-modify-index=8', 'd')).err.trim()).to.equal(
      'Cannot specify both -cas and -recurse!',
    );
  });

  it('kv export prints {key, flags, value} entries, tab-indented; kv import writes them back', async () => {
    fake.on('GET', '/v1/kv/app', { body: [pair('app/a', 'x', { Flags: 3 }), pair('app/b', '')] });
    const exported = await run('kv', 'export', 'app');
    expect(exported.code).to.equal(0);
    expect(JSON.parse(exported.out)).to.deep.equal([
      { key: 'app/a', flags: 3, value: b64('x') },
      { key: 'app/b', flags: 0, value: '' },
    ]);
    expect(exported.out).to.contain('\n\t{\n\t\t"key": "app/a"');

    fake.on('PUT', '/v1/txn', { body: { Results: [], Errors: null } });
    const imported = await runCaptured(['kv', 'import', '-'], { env, stdin: exported.out });
    expect(imported).to.deep.equal({ code: 0, out: 'Imported: app/a\nImported: app/b\n', err: '' });
    expect(JSON.parse(fake.last('PUT', '/v1/txn').body.toString())).to.deep.equal([
      { KV: { Verb: 'set', Key: 'app/a', Value: b64('x'), Flags: 3 } },
      { KV: { Verb: 'set', Key: 'app/b', Value: '' } },
    ]);
    const bad = await run('kv', 'import', 'not json');
    expect(bad.code).to.equal(1);
    expect(bad.err).to.match(/^Cannot unmarshal data: /);
  });

  it('kv get -h prints the help of kv get listing its flags', async () => {
    const r = await run('kv', 'get', '-h');
    expect(r.code).to.equal(0);
    for (const f of [
      '-base64',
      '-detailed',
      '-keys',
      '-recurse',
      '-separator=',
      '-http-addr=',
      '-token=',
      '-datacenter=',
      '-stale',
    ])
      expect(r.out).to.contain(f);
  });
});
