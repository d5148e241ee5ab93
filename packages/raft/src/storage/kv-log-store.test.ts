import { expect } from 'chai';
import type { LogEntry } from '../core/messages.js';
import { SimDisk, realTimeScheduler } from '../sim/sim-store.js';
import { Prng } from '../sim/prng.js';
import { indexKey } from './codec.js';
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

  it('drops a prefix before any entry appended after the call, even one inside the dropped range', async () => {
    const disk = new SimDisk(realTimeScheduler, new Prng(2), [1, 3]);
    let r = await reopen(disk);
    await r.store.append(range(1, 100));
    // An installed snapshot at 50 whose term differs: the whole log goes, and the log
    // starts again at 51. Neither call is awaited before the next, as raft issues them.
    const dropped = r.store.dropPrefix(100);
    const appended = r.store.append(range(51, 53, 2));
    await Promise.all([dropped, appended]);
    await r.store.append(range(54, 54, 2));
    r = await reopen(disk, r.store, r.kv);
    expect(r.entries.map((e) => [e.index, e.term])).to.deep.equal([
      [51, 2],
      [52, 2],
      [53, 2],
      [54, 2],
    ]);
    // A partial drop followed at once by appends: the kept suffix and the new entries stay.
    const more = r.store.dropPrefix(52);
    await r.store.append(range(55, 56, 2));
    await more;
    r = await reopen(disk, r.store, r.kv);
    expect(r.entries.map((e) => e.index)).to.deep.equal([53, 54, 55, 56]);
    await r.kv.close();
  });

  it('starts from the contiguous run left by a prefix drop a crash cut short, and keeps appending after it', async () => {
    const disk = new SimDisk(realTimeScheduler, new Prng(3), [0, 0]);
    let r = await reopen(disk);
    await r.store.append(range(1, 30));
    // What a range delete cut short leaves (it deletes from the low end up): 1..12 gone,
    // 13..30 still there although the drop asked for 1..20.
    await r.kv.write([{ type: 'delRange', key: indexKey(0x65, 1), end: indexKey(0x65, 13) }], { durable: true });
    disk.crash();
    r = await reopen(disk);
    expect(r.entries.map((e) => e.index)).to.deep.equal(range(13, 30).map((e) => e.index));
    // The repeated drop (raft compacts again behind its snapshot) and new entries both work.
    await r.store.dropPrefix(20);
    await r.store.append(range(31, 32));
    disk.crash();
    r = await reopen(disk);
    expect(r.entries.map((e) => e.index)).to.deep.equal(range(21, 32).map((e) => e.index));
    await r.kv.close();
  });
});
