import { expect } from 'chai';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

describe('/v1/kv', () => {
  let a: InProcessAgent;
  beforeEach(async () => (a = await startInProcessAgent()));
  afterEach(() => a.stop());
  const put = (url: string, body?: string) => a.http({ method: 'PUT', url, ...(body !== undefined ? { body } : {}) });

  it('PUT stores the raw body and GET returns Consul DirEntries with base64 values', async () => {
    const r = await put('/v1/kv/app/config', 'hello');
    expect(r.status).to.equal(200);
    expect(r.text).to.equal('true');
    const g = await a.http('/v1/kv/app/config');
    expect(g.status).to.equal(200);
    const [e] = g.json<Record<string, unknown>[]>();
    expect(e).to.include({ Key: 'app/config', Value: Buffer.from('hello').toString('base64'), Flags: 0, LockIndex: 0 });
    expect(e!['CreateIndex']).to.be.a('number').and.to.equal(e!['ModifyIndex']);
    expect(Number(g.headers['x-consul-index'])).to.equal(e!['ModifyIndex']);
    expect((await a.http('/v1/kv/app/config?raw')).text).to.equal('hello');
  });

  it('answers 404 with an index for a missing key', async () => {
    const g = await a.http('/v1/kv/nope');
    expect(g.status).to.equal(404);
    expect(Number(g.headers['x-consul-index'])).to.be.greaterThan(0);
  });

  it('supports ?flags, ?recurse, ?keys with ?separator', async () => {
    await put('/v1/kv/a/1?flags=42', 'x');
    await put('/v1/kv/a/b/2', 'y');
    await put('/v1/kv/c', 'z');
    const rec = (await a.http('/v1/kv/a?recurse')).json<{ Key: string; Flags: number }[]>();
    expect(rec.map((e) => e.Key)).to.deep.equal(['a/1', 'a/b/2']);
    expect(rec[0]!.Flags).to.equal(42);
    expect((await a.http('/v1/kv/a/?keys&separator=/')).json()).to.deep.equal(['a/1', 'a/b/']);
    expect((await a.http('/v1/kv/?keys')).json()).to.deep.equal(['a/1', 'a/b/2', 'c']);
  });

  it('cas=0 creates only, cas=N writes only at that index', async () => {
    expect((await put('/v1/kv/k?cas=0', 'v1')).text).to.equal('true');
    expect((await put('/v1/kv/k?cas=0', 'v2')).text).to.equal('false');
    const idx = (await a.http('/v1/kv/k')).json<{ ModifyIndex: number }[]>()[0]!.ModifyIndex;
    expect((await put(`/v1/kv/k?cas=${idx + 100}`, 'v3')).text).to.equal('false');
    expect((await put(`/v1/kv/k?cas=${idx}`, 'v4')).text).to.equal('true');
    expect((await a.http('/v1/kv/k?raw')).text).to.equal('v4');
  });

  it('DELETE removes a key, a tree, or with ?cas only at that index', async () => {
    await put('/v1/kv/t/1', 'a');
    await put('/v1/kv/t/2', 'b');
    await put('/v1/kv/solo', 'c');
    expect((await a.http({ method: 'DELETE', url: '/v1/kv/solo?cas=999' })).text).to.equal('false');
    expect((await a.http({ method: 'DELETE', url: '/v1/kv/solo' })).text).to.equal('true');
    expect((await a.http('/v1/kv/solo')).status).to.equal(404);
    expect((await a.http({ method: 'DELETE', url: '/v1/kv/t?recurse' })).text).to.equal('true');
    expect((await a.http('/v1/kv/t?recurse')).status).to.equal(404);
  });

  it('rejects client mistakes with plain-text reasons and stores nothing', async () => {
    const noKey = await a.http('/v1/kv/');
    expect(noKey.status).to.equal(400);
    expect(noKey.text).to.contain('Missing key');
    const big = await put('/v1/kv/big', 'x'.repeat(512 * 1024 + 1));
    expect(big.status).to.equal(413);
    expect(big.text).to.contain('too large');
    expect((await a.http('/v1/kv/big')).status).to.equal(404);
    expect((await put('/v1/kv/k?cas=abc', 'v')).status).to.equal(400);
    expect((await put('/v1/kv/k?flags=-1', 'v')).status).to.equal(400);
    expect((await a.http('/v1/kv/k?index=x')).status).to.equal(400);
    expect((await a.http('/v1/kv/k?dc=elsewhere')).text).to.contain('No path to datacenter');
  });

  it('a blocking GET returns as soon as the key changes', async () => {
    await put('/v1/kv/watched', 'v1');
    const idx = Number((await a.http('/v1/kv/watched')).headers['x-consul-index']);
    const t0 = Date.now();
    const pending = a.http(`/v1/kv/watched?index=${idx}&wait=10s`);
    setTimeout(() => void put('/v1/kv/watched', 'v2'), 50);
    const res = await pending;
    expect(Date.now() - t0).to.be.lessThan(2000);
    expect(Number(res.headers['x-consul-index'])).to.be.greaterThan(idx);
    expect(Buffer.from(res.json<{ Value: string }[]>()[0]!.Value, 'base64').toString()).to.equal('v2');
  });

  it('a blocking GET is not woken by another key and times out at ?wait', async () => {
    await put('/v1/kv/quiet', 'v1');
    const idx = Number((await a.http('/v1/kv/quiet')).headers['x-consul-index']);
    const t0 = Date.now();
    const pending = a.http(`/v1/kv/quiet?index=${idx}&wait=300ms`);
    setTimeout(() => void put('/v1/kv/other', 'x'), 20);
    const res = await pending;
    const took = Date.now() - t0;
    expect(took)
      .to.be.at.least(290)
      .and.lessThan(300 + 300 / 16 + 500);
    expect(Number(res.headers['x-consul-index'])).to.equal(idx);
  });

  it('locks: acquire with a session, a second session is refused, release frees it', async () => {
    await a.http({
      method: 'PUT',
      url: '/v1/catalog/register',
      body: {
        Node: 'node-1',
        Address: '127.0.0.1',
        Check: { CheckID: 'serfHealth', Name: 'Serf Health Status', Status: 'passing' },
      },
    });
    const s1 = (await a.http({ method: 'PUT', url: '/v1/session/create', body: {} })).json<{ ID: string }>().ID;
    const s2 = (await a.http({ method: 'PUT', url: '/v1/session/create', body: { LockDelay: '0s' } })).json<{ ID: string }>().ID;
    expect((await put(`/v1/kv/lock?acquire=${s1}`, 'me')).text).to.equal('true');
    expect((await put(`/v1/kv/lock?acquire=${s2}`, 'you')).text).to.equal('false');
    const held = (await a.http('/v1/kv/lock')).json<{ Session: string; LockIndex: number }[]>()[0]!;
    expect(held).to.include({ Session: s1, LockIndex: 1 });
    expect((await put(`/v1/kv/lock?release=${s1}`)).text).to.equal('true');
    expect((await put(`/v1/kv/lock?acquire=${s2}`, 'you')).text).to.equal('true');
    expect((await a.http('/v1/kv/lock')).json<{ LockIndex: number }[]>()[0]!.LockIndex).to.equal(2);
  });
});

describe('/v1/kv uint64 flags', () => {
  it("keeps flags beyond 2^53 exact (Consul's lock recipe uses 0x2ddccbc058a50c18)", async () => {
    const a = await startInProcessAgent();
    try {
      const flag = '3304740253564472344';
      expect((await a.http({ method: 'PUT', url: `/v1/kv/lk?flags=${flag}`, body: 'x' })).text).to.equal('true');
      const text = (await a.http('/v1/kv/lk')).text;
      expect(text).to.contain(`"Flags":${flag}`);
      expect((await a.http({ method: 'PUT', url: '/v1/kv/lk?flags=18446744073709551616', body: 'x' })).status).to.equal(400);
    } finally {
      await a.stop();
    }
  });
});

describe('/v1/kv JSON shape', () => {
  it('omits Session when no session holds the key, as Consul does', async () => {
    const a = await startInProcessAgent();
    try {
      await a.http({ method: 'PUT', url: '/v1/kv/plain', body: 'x' });
      const [e] = (await a.http('/v1/kv/plain')).json<Record<string, unknown>[]>();
      expect(e).to.not.have.property('Session');
      expect(e).to.include({ Key: 'plain', LockIndex: 0 });
    } finally {
      await a.stop();
    }
  });
});
