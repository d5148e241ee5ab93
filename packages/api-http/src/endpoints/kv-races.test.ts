import { expect } from 'chai';
import { startInProcessAgent, type InProcessAgent } from '../test-support/in-process-agent.js';

describe('/v1/kv and /v1/txn under concurrent clients', () => {
  let a: InProcessAgent;
  beforeEach(async () => (a = await startInProcessAgent()));
  afterEach(() => a.stop());

  it('cas=0 from 50 concurrent clients: exactly one winner', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => a.http({ method: 'PUT', url: '/v1/kv/leader?cas=0', body: `client-${i}` })),
    );
    const winners = results.filter((r) => r.text === 'true');
    expect(winners).to.have.length(1);
    const value = (await a.http('/v1/kv/leader?raw')).text;
    expect(value).to.match(/^client-\d+$/);
  });

  it('cas=N races on an existing key: exactly one winner per index', async () => {
    await a.http({ method: 'PUT', url: '/v1/kv/counter', body: '0' });
    for (let round = 0; round < 5; round++) {
      const idx = (await a.http('/v1/kv/counter')).json<{ ModifyIndex: number }[]>()[0]!.ModifyIndex;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => a.http({ method: 'PUT', url: `/v1/kv/counter?cas=${idx}`, body: `${round}-${i}` })),
      );
      expect(results.filter((r) => r.text === 'true')).to.have.length(1);
    }
  });

  it('txn check-index + set is atomic against concurrent writers: no lost update', async () => {
    await a.http({ method: 'PUT', url: '/v1/kv/n', body: '0' });
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    let committed = 0;
    // 10 clients each try 10 read-modify-write increments with txn cas; retries on conflict are bounded.
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let done = 0, tries = 0; done < 10 && tries < 200; tries++) {
          const cur = (await a.http('/v1/kv/n')).json<{ Value: string; ModifyIndex: number }[]>()[0]!;
          const next = String(Number(Buffer.from(cur.Value, 'base64').toString()) + 1);
          const r = await a.http({
            method: 'PUT',
            url: '/v1/txn',
            body: [{ KV: { Verb: 'cas', Key: 'n', Value: b64(next), Index: cur.ModifyIndex } }],
          });
          if (r.status === 200) {
            done++;
            committed++;
          }
        }
      }),
    );
    expect(Number((await a.http('/v1/kv/n?raw')).text)).to.equal(committed);
    expect(committed).to.equal(100);
  });
});
