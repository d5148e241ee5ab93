import { expect } from 'chai';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

function filled(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = (i * 131 + seed) & 0xff;
  return out;
}

// The store holds values up to 1 KiB in a compact text form and larger ones as bytes: each
// must come back exactly as written, whichever way it is read.
const VALUES: [string, Buffer][] = [
  ['all 256 byte values', Buffer.from([...Array(256).keys()])],
  ['invalid UTF-8', Buffer.from([0x80, 0xbf, 0xc0, 0xaf, 0xe2, 0x82, 0xf0, 0x9f, 0x98, 0xff, 0xfe, 0x00, 0xed, 0xa0, 0x80])],
  ['1 KiB', filled(1024, 1)],
  ['1 KiB + 1', filled(1025, 2)],
  ['100 KiB', filled(100 * 1024, 3)],
];

describe('/v1/kv and /v1/txn with binary values', () => {
  let a: InProcessAgent;
  beforeEach(async () => (a = await startInProcessAgent()));
  afterEach(() => a.stop());

  it('PUT then GET (JSON base64, ?raw, ?recurse) and txn get return the exact bytes', async () => {
    for (const [i, [name, value]] of VALUES.entries()) {
      const r = await a.http({ method: 'PUT', url: `/v1/kv/bin/${i}`, body: value });
      expect(r.status, name).to.equal(200);
    }
    const listed = (await a.http('/v1/kv/bin/?recurse')).json<{ Key: string; Value: string }[]>();
    const txn = await a.http({
      method: 'PUT',
      url: '/v1/txn',
      body: JSON.stringify([{ KV: { Verb: 'get-tree', Key: 'bin/' } }]),
    });
    expect(txn.status, txn.text).to.equal(200);
    const viaTxn = txn.json<{ Results: { KV: { Key: string; Value: string } }[] }>().Results;
    for (const [i, [name, value]] of VALUES.entries()) {
      const one = (await a.http(`/v1/kv/bin/${i}`)).json<{ Value: string }[]>()[0]!;
      expect(Buffer.from(one.Value, 'base64').equals(value), `GET ${name}`).to.equal(true);
      expect((await a.http(`/v1/kv/bin/${i}?raw`)).raw.equals(value), `?raw ${name}`).to.equal(true);
      expect(Buffer.from(listed[i]!.Value, 'base64').equals(value), `?recurse ${name}`).to.equal(true);
      expect(Buffer.from(viaTxn[i]!.KV.Value, 'base64').equals(value), `txn get-tree ${name}`).to.equal(true);
    }
  });

  it('txn set stores base64 values exactly, and an empty value reads back as empty, not as null', async () => {
    const ops = VALUES.map(([, value], i) => ({ KV: { Verb: 'set', Key: `t/${i}`, Value: value.toString('base64') } }));
    ops.push({ KV: { Verb: 'set', Key: 't/empty', Value: '' } });
    const r = await a.http({ method: 'PUT', url: '/v1/txn', body: JSON.stringify(ops) });
    expect(r.status, r.text).to.equal(200);
    for (const [i, [name, value]] of VALUES.entries()) {
      expect((await a.http(`/v1/kv/t/${i}?raw`)).raw.equals(value), name).to.equal(true);
    }
    expect((await a.http('/v1/kv/t/empty')).json<{ Value: unknown }[]>()[0]!.Value).to.equal('');
    await a.http({ method: 'PUT', url: '/v1/kv/t/none' });
    expect((await a.http('/v1/kv/t/none')).json<{ Value: unknown }[]>()[0]!.Value).to.equal(null);
  });
});
