import assert from 'node:assert/strict';
import {
  isCoded,
  type Entry,
  type KeyValueReader,
  type KeyValueStore,
  type RangeOptions,
  type StorageEngine,
} from '@proconsul/kernel';
import { rangeModel, seeded, strictlyIncreasing } from './storage-conformance-model.js';

export interface EngineUnderTest {
  readonly engine: StorageEngine;
  /** Closes whatever the test left open and removes files; called after every test. */
  cleanup(): Promise<void>;
}

const b = (...bytes: number[]) => new Uint8Array(bytes);
// Both plain Uint8Arrays and Buffers, whose slice() aliases memory, must work as keys and values.
const s = (text: string) => Buffer.from(text);
const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');
const put = (key: Uint8Array, value: Uint8Array) => ({ type: 'put', key, value }) as const;
const del = (key: Uint8Array) => ({ type: 'del', key }) as const;
const delRange = (key: Uint8Array, end: Uint8Array) => ({ type: 'delRange', key, end }) as const;
/** Big-endian 4-byte key after a one-byte tag, like the raft log's index keys. */
const indexed = (tag: number, i: number) => b(tag, i >>> 24, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff);

async function collect(reader: KeyValueReader, range?: RangeOptions): Promise<string[]> {
  const out: string[] = [];
  for await (const [k, v] of reader.iterate(range)) out.push(`${hex(k)}=${hex(v)}`);
  return out;
}

async function rejectsWith(p: Promise<unknown> | (() => Promise<unknown>), code: string): Promise<void> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    assert.ok(isCoded(err, code), `expected ${code}, got ${String(err)}`);
    return;
  }
  assert.fail(`expected rejection with ${code}`);
}

/**
 * Registers mocha `describe`/`it` blocks every {@link StorageEngine} must pass. Call it at
 * the top level of a test file: `runStorageConformance('rocksdb', async () => ...)`.
 * `makeEngine` must return a fresh engine over empty storage each time.
 */
export function runStorageConformance(name: string, makeEngine: () => Promise<EngineUnderTest>): void {
  describe(`StorageEngine conformance: ${name}`, function () {
    this.timeout(30_000);
    let ut: EngineUnderTest;
    let store: KeyValueStore;
    beforeEach(async () => {
      ut = await makeEngine();
      store = await ut.engine.open('conformance');
    });
    afterEach(async () => {
      await store.close().catch(() => undefined);
      await ut.cleanup();
    });

    it('gets, puts, overwrites and deletes; a missing key reads as undefined', async () => {
      assert.equal(await store.get(s('a')), undefined);
      await store.write([put(s('a'), s('1'))], { durable: false });
      assert.equal(hex((await store.get(s('a')))!), hex(s('1')));
      await store.write([put(s('a'), s('2'))], { durable: true });
      assert.equal(hex((await store.get(s('a')))!), hex(s('2')));
      await store.write([del(s('a')), del(s('never-existed'))], { durable: false });
      assert.equal(await store.get(s('a')), undefined);
    });

    it('stores empty keys, empty values and 1 MiB values', async () => {
      const big = new Uint8Array(1 << 20).map((_, i) => i & 0xff);
      await store.write([put(b(), s('empty-key')), put(s('e'), b()), put(s('big'), big)], { durable: false });
      assert.equal(Buffer.from((await store.get(b()))!).toString(), 'empty-key');
      assert.equal((await store.get(s('e')))!.length, 0);
      assert.ok(Buffer.from((await store.get(s('big')))!).equals(big));
      assert.deepEqual(
        (await collect(store)).map((e) => e.split('=')[0]),
        ['', hex(s('big')), hex(s('e'))],
      );
    });

    it('hands out buffers the caller may mutate without changing the store', async () => {
      const prefix = s('k');
      await store.write([put(s('k'), s('v')), put(b(0x6b, 1), b(1))], { durable: false });
      const got = (await store.get(s('k')))!;
      got.fill(0);
      assert.equal((await collect(store, { prefix })).length, 2);
      assert.equal(hex(prefix), hex(s('k')), 'a range option was modified');
      for await (const [k, v] of store.iterate()) {
        k.fill(0);
        v.fill(0);
      }
      assert.equal(hex((await store.get(s('k')))!), hex(s('v')));
    });

    it('applies a batch of puts and deletes together, and rejects a malformed batch without applying any of it', async () => {
      await store.write([put(s('x'), s('0')), put(s('y'), s('0'))], { durable: false });
      await store.write([put(s('a'), s('1')), del(s('x')), put(s('b'), s('2')), put(s('a'), s('3'))], { durable: true });
      assert.deepEqual(await collect(store), [
        `${hex(s('a'))}=${hex(s('3'))}`,
        `${hex(s('b'))}=${hex(s('2'))}`,
        `${hex(s('y'))}=${hex(s('0'))}`,
      ]);
      const bad = [put(s('c'), s('1')), { type: 'put', key: 'not-bytes', value: s('1') }] as unknown as Parameters<
        KeyValueStore['write']
      >[0];
      await rejectsWith(() => store.write(bad, { durable: false }), 'BAD_REQUEST');
      assert.equal(await store.get(s('c')), undefined);
      await store.write([], { durable: true });
    });

    it('deletes [key, end) with delRange, after the ops before it and before the ops after it', async () => {
      await store.write(
        Array.from({ length: 8 }, (_, i) => put(indexed(0x61, i), s('old'))),
        { durable: false },
      );
      // In one batch: the put before the range is deleted by it, the put after it survives.
      await store.write(
        [put(indexed(0x61, 3), s('before')), delRange(indexed(0x61, 2), indexed(0x61, 5)), put(indexed(0x61, 4), s('after'))],
        {
          durable: true,
        },
      );
      assert.deepEqual(await collect(store), [
        `${hex(indexed(0x61, 0))}=${hex(s('old'))}`,
        `${hex(indexed(0x61, 1))}=${hex(s('old'))}`,
        `${hex(indexed(0x61, 4))}=${hex(s('after'))}`,
        `${hex(indexed(0x61, 5))}=${hex(s('old'))}`,
        `${hex(indexed(0x61, 6))}=${hex(s('old'))}`,
        `${hex(indexed(0x61, 7))}=${hex(s('old'))}`,
      ]);
      // An empty or inverted range deletes nothing; a malformed one is refused before anything applies.
      await store.write([delRange(indexed(0x61, 6), indexed(0x61, 6)), delRange(indexed(0x61, 7), indexed(0x61, 0))], {
        durable: false,
      });
      assert.equal((await collect(store)).length, 6);
      const bad = [del(indexed(0x61, 0)), { type: 'delRange', key: indexed(0x61, 0) }] as unknown as Parameters<
        KeyValueStore['write']
      >[0];
      await rejectsWith(() => store.write(bad, { durable: false }), 'BAD_REQUEST');
      assert.equal((await collect(store)).length, 6);
    });

    it('orders a delRange with batches written after it was issued, and keeps it from snapshots taken before', async () => {
      // Thousands of keys: engines may delete a range in several steps.
      const n = 3000;
      await store.write(
        Array.from({ length: n }, (_, i) => put(indexed(0x65, i), s(`v${i}`))),
        { durable: false },
      );
      const before = await store.snapshot();
      // Not awaited: the puts are issued after the range delete, inside its range, and must survive it.
      const dropped = store.write([delRange(indexed(0x65, 0), indexed(0x65, n))], { durable: true });
      const appended = store.write([put(indexed(0x65, 10), s('new')), put(indexed(0x65, n - 1), s('new'))], { durable: true });
      await Promise.all([dropped, appended]);
      assert.deepEqual(await collect(store), [
        `${hex(indexed(0x65, 10))}=${hex(s('new'))}`,
        `${hex(indexed(0x65, n - 1))}=${hex(s('new'))}`,
      ]);
      assert.equal((await collect(before)).length, n);
      await before.release();
    });

    it('serialises concurrent batches in call order', async () => {
      const done: number[] = [];
      const writes = Array.from({ length: 50 }, (_, i) =>
        store
          .write([put(s('k'), s(String(i))), put(s(`k${String(i).padStart(2, '0')}`), b(i))], { durable: i % 10 === 0 })
          .then(() => done.push(i)),
      );
      await Promise.all(writes);
      assert.equal(Buffer.from((await store.get(s('k')))!).toString(), '49');
      assert.equal((await collect(store)).length, 51);
      assert.deepEqual(
        done,
        [...done].sort((x, y) => x - y),
      );
    });

    it('orders keys as unsigned bytes (memcmp), shorter prefix first, including bytes >= 0x80', async () => {
      const keys = [b(0xff), b(0x80), b(0x7f), b(0x00), b(0x7f, 0xff), b(0x80, 0x00), b(0xff, 0xff), b(0x01)];
      await store.write(
        keys.map((k) => put(k, b(1))),
        { durable: false },
      );
      const got = (await collect(store)).map((e) => e.split('=')[0]);
      assert.deepEqual(got, ['00', '01', '7f', '7fff', '80', '8000', 'ff', 'ffff']);
      const rev = (await collect(store, { reverse: true })).map((e) => e.split('=')[0]);
      assert.deepEqual(rev, [...got].reverse());
    });

    it('scans prefixes, including prefixes ending in 0xff and the all-0xff prefix', async () => {
      const keys = [
        b(0x61),
        b(0x61, 0x00),
        b(0x61, 0xff),
        b(0x61, 0xff, 0x01),
        b(0x62),
        b(0xfe, 0xff),
        b(0xff),
        b(0xff, 0xff),
        b(0xff, 0xff, 0x00),
      ];
      await store.write(
        keys.map((k) => put(k, b(2))),
        { durable: false },
      );
      const keysOf = async (r: RangeOptions) => (await collect(store, r)).map((e) => e.split('=')[0]);
      assert.deepEqual(await keysOf({ prefix: b(0x61) }), ['61', '6100', '61ff', '61ff01']);
      assert.deepEqual(await keysOf({ prefix: b(0x61, 0xff) }), ['61ff', '61ff01']);
      assert.deepEqual(await keysOf({ prefix: b(0xff) }), ['ff', 'ffff', 'ffff00']);
      assert.deepEqual(await keysOf({ prefix: b(0xff, 0xff) }), ['ffff', 'ffff00']);
      assert.deepEqual(await keysOf({ prefix: b(0xff), reverse: true }), ['ffff00', 'ffff', 'ff']);
      assert.deepEqual(await keysOf({ prefix: b(0x61), gt: b(0x61, 0x00), limit: 2 }), ['61ff', '61ff01']);
      assert.deepEqual(await keysOf({ prefix: b(0x61), lt: b(0x61, 0xff), reverse: true }), ['6100', '61']);
      assert.deepEqual(await keysOf({ prefix: b() }), keys.map(hex));
      assert.deepEqual(await keysOf({ prefix: b(0x63) }), []);
    });

    it('honours gt/gte/lt/lte, prefix, reverse and limit in every combination, on the store and on a snapshot (seeded model)', async () => {
      const rnd = seeded(20240613);
      const keys: Uint8Array[] = [];
      for (let i = 0; i < 300; i++) keys.push(b(Math.floor(rnd() * 256), Math.floor(rnd() * 4)));
      await store.write(
        keys.map((k) => put(k, k)),
        { durable: false },
      );
      const sorted = [...new Set(keys.map(hex))].sort();
      // The same queries against a snapshot taken before further writes must answer as of then.
      const snap = await store.snapshot();
      const later = Array.from({ length: 100 }, () => b(Math.floor(rnd() * 256), Math.floor(rnd() * 4), 9));
      await store.write(
        [...later.map((k) => put(k, k)), ...sorted.filter((_, i) => i % 3 === 0).map((k) => del(Buffer.from(k, 'hex')))],
        { durable: false },
      );
      const sortedLater = [...new Set([...later.map(hex), ...sorted.filter((_, i) => i % 3 !== 0)])].sort();
      const pick = () =>
        rnd() < 0.5 ? Buffer.from(sorted[Math.floor(rnd() * sorted.length)]!, 'hex') : b(Math.floor(rnd() * 256));
      for (let round = 0; round < 128; round++) {
        const r: { -readonly [P in keyof RangeOptions]: RangeOptions[P] } = { reverse: (round & 16) !== 0 };
        if (round & 1) r.gte = pick();
        if (round & 2) r.gt = pick();
        if (round & 4) r.lte = pick();
        if (round & 8) r.lt = pick();
        if (round & 32) r.limit = Math.floor(rnd() * 20);
        if (round & 64) r.prefix = b(Math.floor(rnd() * 256));
        assert.deepEqual(
          await collect(snap, r),
          rangeModel(sorted, r).map((k) => `${k}=${k}`),
          `snapshot ${JSON.stringify(r)}`,
        );
        assert.deepEqual(
          await collect(store, r),
          rangeModel(sortedLater, r).map((k) => `${k}=${k}`),
          JSON.stringify(r),
        );
      }
      await snap.release();
    });

    it('keeps a snapshot isolated from later writes until released', async () => {
      await store.write([put(s('a'), s('1')), put(s('b'), s('1')), put(s('c'), s('1'))], { durable: false });
      const snap = await store.snapshot();
      await store.write([put(s('a'), s('2')), del(s('b')), put(s('d'), s('2'))], { durable: true });
      assert.equal(Buffer.from((await snap.get(s('a')))!).toString(), '1');
      assert.equal(Buffer.from((await snap.get(s('b')))!).toString(), '1');
      assert.equal(await snap.get(s('d')), undefined);
      const one = hex(s('1'));
      assert.deepEqual(await collect(snap), [`${hex(s('a'))}=${one}`, `${hex(s('b'))}=${one}`, `${hex(s('c'))}=${one}`]);
      assert.deepEqual(await collect(snap, { reverse: true, gt: s('a') }), [`${hex(s('c'))}=${one}`, `${hex(s('b'))}=${one}`]);
      assert.deepEqual(await collect(snap, { gte: s('b'), limit: 1 }), [`${hex(s('b'))}=${one}`]);
      assert.deepEqual(
        (await collect(store)).map((e) => e.split('=')[0]),
        ['a', 'c', 'd'].map((x) => hex(s(x))),
      );
      // Interleaved reads on one snapshot must not disturb each other.
      const it1 = snap.iterate()[Symbol.asyncIterator]();
      assert.equal(Buffer.from((await it1.next()).value![0]).toString(), 'a');
      assert.equal(Buffer.from((await snap.get(s('c')))!).toString(), '1');
      assert.equal(Buffer.from((await it1.next()).value![0]).toString(), 'b');
      await it1.return?.();
      await snap.release();
      await rejectsWith(() => snap.get(s('a')), 'STORAGE_CLOSED');
    });

    it('iterates one consistent version while writes run concurrently', async () => {
      const n = 1000;
      const key = (i: number) => s(`k${String(i).padStart(5, '0')}`);
      await store.write(
        Array.from({ length: n }, (_, i) => put(key(i), s('old'))),
        { durable: false },
      );
      const before = await collect(store);
      const seen: string[] = [];
      let i = 0;
      const pending: Promise<void>[] = [];
      for await (const [k, v] of store.iterate()) {
        seen.push(`${hex(k)}=${hex(v)}`);
        // Overwrite, delete ahead, insert between: all invisible to this iteration.
        pending.push(
          store.write([put(key(i), s('new')), del(key((i * 7 + 3) % n)), put(s(`k${String(i).padStart(5, '0')}a`), s('x'))], {
            durable: false,
          }),
        );
        if (i % 100 === 0) await Promise.all(pending);
        i++;
      }
      await Promise.all(pending);
      assert.equal(seen.length, n);
      assert.deepEqual(seen, before);
      assert.notDeepEqual(await collect(store), before);
      assert.ok(strictlyIncreasing((await collect(store)).map((e) => e.split('=')[0]!)));
    });

    it('releases iterators abandoned with break', async () => {
      await store.write(
        Array.from({ length: 100 }, (_, i) => put(b(i), b(i))),
        { durable: false },
      );
      for (let round = 0; round < 20; round++) {
        for await (const [k] of store.iterate({ reverse: round % 2 === 1 })) if (k[0]! >= 0) break;
      }
      await store.close();
    });

    it('rejects with STORAGE_CLOSED after close, once in-flight writes have completed', async () => {
      const inflight = store.write([put(s('late'), s('1'))], { durable: true });
      await store.close();
      await inflight;
      await rejectsWith(() => store.get(s('late')), 'STORAGE_CLOSED');
      await rejectsWith(() => store.write([put(s('x'), s('1'))], { durable: false }), 'STORAGE_CLOSED');
      await rejectsWith(() => store.snapshot(), 'STORAGE_CLOSED');
      await rejectsWith(() => collect(store), 'STORAGE_CLOSED');
    });

    it('rejects opening a name that is already open with STORAGE_LOCKED; other names are independent keyspaces', async () => {
      await rejectsWith(() => ut.engine.open('conformance'), 'STORAGE_LOCKED');
      const other = await ut.engine.open('other');
      try {
        await other.write([put(s('only-other'), s('1'))], { durable: false });
        assert.equal(await store.get(s('only-other')), undefined);
        assert.deepEqual(await collect(store), []);
      } finally {
        await other.close();
      }
      await store.close();
      const again = await ut.engine.open('conformance');
      await again.close();
    });

    it('keeps an acknowledged durable delRange across close and reopen (durable engines)', async function () {
      if (!ut.engine.durable) this.skip();
      await store.write(
        Array.from({ length: 100 }, (_, i) => put(indexed(0x65, i), s(`v${i}`))),
        { durable: true },
      );
      // The batch ends with the range: the engine must still make it durable.
      await store.write([put(indexed(0x65, 200), s('x')), delRange(indexed(0x65, 0), indexed(0x65, 90))], { durable: true });
      await store.close();
      store = await ut.engine.open('conformance');
      const got = (await collect(store)).map((e) => e.split('=')[0]);
      assert.deepEqual(got, [...Array.from({ length: 10 }, (_, i) => hex(indexed(0x65, 90 + i))), hex(indexed(0x65, 200))]);
    });

    it('keeps acknowledged writes across close and reopen (durable engines)', async function () {
      if (!ut.engine.durable) this.skip();
      const entries: Entry[] = Array.from({ length: 200 }, (_, i) => [b(i >> 8, i & 0xff, 0x80), s(`v${i}`)]);
      await store.write(
        entries.map(([k, v]) => put(k, v)),
        { durable: true },
      );
      await store.write([del(entries[0]![0])], { durable: true });
      await store.close();
      store = await ut.engine.open('conformance');
      const got = await collect(store);
      assert.equal(got.length, 199);
      assert.deepEqual(
        got,
        entries.slice(1).map(([k, v]) => `${hex(k)}=${hex(v)}`),
      );
    });
  });
}
