import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeConsulServer, type RecordedRequest } from '../test/fake-consul-server.js';
import { runCaptured } from '../test/run-command.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const exportOf = (n: number, key = (i: number) => `app/k${i}`) =>
  JSON.stringify(Array.from({ length: n }, (_, i) => ({ key: key(i), flags: 0, value: b64(`v${i}`) })));
type TxnOp = { KV: { Verb: string; Key: string; Value: string; Flags?: number } };
const opsOf = (r: RecordedRequest) => JSON.parse(r.body.toString()) as TxnOp[];

describe('kv import batching (fake agent counting transactions)', () => {
  const fake = new FakeConsulServer();
  let env: Record<string, string>;
  let inFlight = 0;
  let maxInFlight = 0;
  /** Every key the fake "stored", from txns and plain PUTs, in arrival order. */
  let stored: string[] = [];
  before(async () => {
    await fake.start();
    env = { CONSUL_HTTP_ADDR: fake.url };
  });
  beforeEach(() => {
    fake.requests.length = 0;
    inFlight = maxInFlight = 0;
    stored = [];
    fake.on('PUT', '/v1/txn', async (req) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // Held briefly, so the client's overlap of transactions is visible.
      await new Promise((r) => setTimeout(r, 20));
      inFlight--;
      stored.push(...opsOf(req).map((o) => o.KV.Key));
      return { body: { Results: [], Errors: null } };
    });
    fake.onPrefix('PUT', '/v1/kv/', (req) => {
      stored.push(req.path.slice('/v1/kv/'.length));
      return { body: 'true' };
    });
  });
  after(() => fake.stop());

  const txns = () => fake.requests.filter((r) => r.method === 'PUT' && r.path === '/v1/txn');

  it('writes 1,000 keys in 16 transactions of at most 64 set operations, several in flight, output in input order', async () => {
    const r = await runCaptured(['kv', 'import', '-'], { env, stdin: exportOf(1000) });
    expect(r.code, r.err).to.equal(0);
    expect(txns().map((t) => opsOf(t).length)).to.deep.equal([...Array<number>(15).fill(64), 40]);
    expect(fake.requests.filter((q) => q.path.startsWith('/v1/kv/'))).to.have.length(0);
    expect(new Set(stored).size).to.equal(1000);
    expect(maxInFlight).to.be.greaterThan(1).and.at.most(8);
    expect(r.out).to.equal(Array.from({ length: 1000 }, (_, i) => `Imported: app/k${i}\n`).join(''));
    const op = opsOf(txns()[0]!)[5]!;
    expect(op).to.deep.equal({ KV: { Verb: 'set', Key: 'app/k5', Value: b64('v5') } });
  });

  it("-prefix puts every key under the prefix, keeping a folder key's trailing slash; reads @file", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kv-import-'));
    const file = join(dir, 'export.json');
    writeFileSync(
      file,
      JSON.stringify([
        { key: 'a', flags: 7, value: b64('1') },
        { key: 'folder/', flags: 0, value: '' },
      ]),
    );
    const r = await runCaptured(['kv', 'import', '-prefix=restored/', `@${file}`], { env });
    expect(r).to.deep.equal({ code: 0, out: 'Imported: restored/a\nImported: restored/folder/\n', err: '' });
    expect(opsOf(txns()[0]!)).to.deep.equal([
      { KV: { Verb: 'set', Key: 'restored/a', Value: b64('1'), Flags: 7 } },
      { KV: { Verb: 'set', Key: 'restored/folder/', Value: '' } },
    ]);
    const noSlash = await runCaptured(['kv', 'import', '-prefix', 'p', '[{"key":"x","flags":0,"value":""}]'], { env });
    expect(noSlash.out).to.equal('Imported: p/x\n');
  });

  it('bad base64 anywhere writes nothing and exits 1 naming the key', async () => {
    const data = JSON.stringify([
      { key: 'ok', flags: 0, value: b64('fine') },
      { key: 'broken', flags: 0, value: '%%%' },
    ]);
    const r = await runCaptured(['kv', 'import', data], { env });
    expect(r.code).to.equal(1);
    expect(r.err.trim()).to.equal('Error base 64 decoding value for key broken: illegal base64 data');
    expect(fake.requests).to.have.length(0);
    const noKey = await runCaptured(['kv', 'import', '[{"flags":0,"value":""}]'], { env });
    expect([noKey.code, noKey.err]).to.deep.equal([1, 'Cannot unmarshal data: every entry needs a string "key"\n']);
  });

  it('a rolled-back transaction (409) stops the import: exit 1 naming the refused key, no new batches', async () => {
    let calls = 0;
    fake.on('PUT', '/v1/txn', (req) => {
      calls++;
      const ops = opsOf(req);
      const bad = ops.findIndex((o) => o.KV.Key === 'app/k70');
      if (bad >= 0) return { status: 409, body: { Results: null, Errors: [{ OpIndex: bad, What: 'Permission denied' }] } };
      stored.push(...ops.map((o) => o.KV.Key));
      return { body: { Results: [], Errors: null } };
    });
    const r = await runCaptured(['kv', 'import', '-'], { env, stdin: exportOf(64 * 40) });
    expect(r.code).to.equal(1);
    expect(r.err.trim()).to.equal('Error! Failed writing data for key app/k70: Permission denied');
    // Only batches already in flight when the failure arrived were sent, and only their keys are reported.
    expect(calls).to.be.at.most(1 + 8);
    const reported = r.out
      .trim()
      .split('\n')
      .map((l) => l.replace('Imported: ', ''));
    expect(reported).to.have.members(stored);
    expect(reported).to.not.include('app/k70');
  });

  it('an entry too big for a transaction body goes alone through PUT /v1/kv, in its place', async () => {
    const big = Buffer.alloc(300 * 1024, 1).toString('base64');
    const data = JSON.stringify([
      { key: 'small/1', flags: 0, value: b64('a') },
      { key: 'big', flags: 2, value: big },
      { key: 'small/2', flags: 0, value: b64('b') },
    ]);
    const r = await runCaptured(['kv', 'import', data], { env });
    expect(r).to.deep.equal({ code: 0, out: 'Imported: small/1\nImported: big\nImported: small/2\n', err: '' });
    const put = fake.last('PUT', '/v1/kv/big');
    expect([put.body.length, put.query.get('flags')]).to.deep.equal([300 * 1024, '2']);
    expect(txns().map((t) => opsOf(t).map((o) => o.KV.Key))).to.deep.equal([['small/1'], ['small/2']]);
  });

  it('an unreachable agent is an error naming the keys of the batch, exit 1', async () => {
    const r = await runCaptured(['kv', 'import', exportOf(3)], { env: { CONSUL_HTTP_ADDR: 'http://127.0.0.1:1' } });
    expect(r.code).to.equal(1);
    expect(r.err).to.match(/^Error! Failed writing data for keys app\/k0 to app\/k2: /);
  });
});
