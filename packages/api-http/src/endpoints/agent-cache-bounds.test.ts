import { expect } from 'chai';
import type { QueryReply } from '@proconsul/kernel';
import { AgentCache, type CacheFetch } from './agent-cache.js';

const reply = <T>(index: number, value: T): QueryReply<T> => ({
  meta: { index, knownLeader: true, lastContactMs: 0, consistency: 'stale' },
  value,
});

/** A server stand-in: answers at once for index 0, otherwise holds until `change()` or abort. */
class FakeServer {
  index = 1;
  fail = false;
  calls = 0;
  private wake = new Set<() => void>();
  fetch: CacheFetch<number> = (minIndex, signal) => {
    this.calls++;
    if (this.fail) return Promise.reject(new Error('No cluster leader'));
    if (minIndex < this.index) return Promise.resolve(reply(this.index, this.index));
    return new Promise((resolve, reject) => {
      const w = () => {
        this.wake.delete(w);
        if (this.fail) reject(new Error('No cluster leader'));
        else resolve(reply(this.index, this.index));
      };
      this.wake.add(w);
      signal.addEventListener('abort', () => {
        this.wake.delete(w);
        reject(new Error('aborted'));
      });
    });
  };
  change(): void {
    this.index++;
    for (const w of [...this.wake]) w();
  }
  breakDown(): void {
    this.fail = true;
    for (const w of [...this.wake]) w();
  }
  get watching(): number {
    return this.wake.size;
  }
}

const tick = () => new Promise((r) => setTimeout(r, 5));
const NOW = { minIndex: 0, maxWaitMs: 1000 };

describe('AgentCache', () => {
  let cache: AgentCache;
  afterEach(() => cache.close());

  it('keeps at most maxEntries, dropping the least recently requested and ending its watch', async () => {
    const server = new FakeServer();
    cache = new AgentCache({ maxEntries: 2 });
    await cache.get('a', server.fetch, NOW);
    await cache.get('b', server.fetch, NOW);
    await cache.get('a', server.fetch, NOW); // a is now the most recent
    await cache.get('c', server.fetch, NOW);
    await tick();
    expect(cache.size).to.equal(2);
    expect(server.watching).to.equal(2);
    expect((await cache.get('a', server.fetch, NOW)).hit).to.equal(true);
    expect((await cache.get('b', server.fetch, NOW)).hit).to.equal(false);
  });

  it('a failed first fetch is the answer and is not cached', async () => {
    const server = new FakeServer();
    server.fail = true;
    cache = new AgentCache();
    let err: unknown;
    await cache.get('a', server.fetch, NOW).catch((e: unknown) => (err = e));
    expect(String(err)).to.contain('No cluster leader');
    expect(cache.size).to.equal(0);
    server.fail = false;
    expect((await cache.get('a', server.fetch, NOW)).hit).to.equal(false);
  });

  it('servers unreachable: the last value is served, with Age counting from the lost contact', async () => {
    let now = 1_000_000;
    const server = new FakeServer();
    cache = new AgentCache({ retryMs: 10_000, now: () => now });
    await cache.get('a', server.fetch, NOW);
    await tick();
    server.breakDown();
    await tick();
    now += 65_000;
    const r = await cache.get('a', server.fetch, NOW);
    expect(r.hit).to.equal(true);
    expect(r.reply.value).to.equal(1);
    expect(r.ageSeconds).to.equal(65);
  });

  it('entries nobody asked for within the TTL are dropped', async () => {
    let now = 1_000_000;
    const server = new FakeServer();
    cache = new AgentCache({ ttlMs: 1000, now: () => now });
    await cache.get('a', server.fetch, NOW);
    now += 120_000;
    await cache.get('b', server.fetch, NOW);
    expect(cache.size).to.equal(1);
    expect((await cache.get('b', server.fetch, NOW)).hit).to.equal(true);
  });
});
