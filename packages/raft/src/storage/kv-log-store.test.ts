import { expect } from 'chai';
import type { LogEntry } from '../core/messages.js';
import { SimDisk, realTimeScheduler } from '../sim/sim-store.js';
import { Prng } from '../sim/prng.js';
import { KvLogStore } from './kv-log-store.js';

const entry = (index: number, term = 1): LogEntry => ({ index, term, kind: 'cmd', data: Uint8Array.of(index) });
const range = (from: number, to: number, term = 1) => Array.from({ length: to - from + 1 }, (_, i) => entry(from + i, term));

describe('KvLogStore (the "boltdb" backend)', () => {
  async function reopen(disk: SimDisk, store?: KvLogStore, kv?: { close(): Promise<void> }) {
    await store?.close();
    await kv?.close();
    const next = await disk.engine().open('raft-log');
    const s = new KvLogStore(next);
    return { kv: next, store: s, entries: await s.loadAll() };
  }

  it('truncates, drops a prefix and empties, as the wal backend does, across reopens', async () => {
    const disk = new SimDisk(realTimeScheduler, new Prng(1), [0, 0]);
    let r = await reopen(disk);
    await r.store.append(range(1, 20));
    await r.store.append(range(15, 16, 2), 15);
    await r.store.dropPrefix(5);
    r = await reopen(disk, r.store, r.kv);
    expect(r.entries.map((e) => e.index)).to.deep.equal(range(6, 16).map((e) => e.index));
    expect(r.entries.at(-1)!.term).to.equal(2);
    // Not continuing the log: entries replace it from their index, or empty it when past its end.
    await r.store.append(range(10, 11, 3));
    r = await reopen(disk, r.store, r.kv);
    expect(r.entries.map((e) => [e.index, e.term])).to.deep.equal(
      [6, 7, 8, 9]
        .map((i) => [i, 1])
        .concat([
          [10, 3],
          [11, 3],
        ]),
    );
    await r.store.append(range(40, 41, 4));
    r = await reopen(disk, r.store, r.kv);
    expect(r.entries.map((e) => e.index)).to.deep.equal([40, 41]);
    await r.store.dropPrefix(41);
    r = await reopen(disk, r.store, r.kv);
    expect(r.entries).to.deep.equal([]);
    await r.kv.close();
  });
});
