import { expect } from 'chai';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Command, DirEntry, TxnResponse } from '@proconsul/kernel';
import { encodeCommand } from './command-codec.js';
import { INLINE_VALUE_MAX, packValue, rowFromEntry, toDirEntry, unpackValue } from './kv-row.js';
import { StateFsm } from './state-fsm.js';
import { StateStore } from './state-store.js';

/** Every byte value, twice, then invalid UTF-8 (lone continuation, truncated and overlong sequences). */
const ALL_BYTES = Uint8Array.from([...Array(512).keys()].map((i) => i & 0xff));
const BAD_UTF8 = Uint8Array.of(0x80, 0xbf, 0xc0, 0xaf, 0xe2, 0x82, 0xf0, 0x9f, 0x98, 0xff, 0xfe, 0x00, 0xed, 0xa0, 0x80);

function filled(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 131 + seed) & 0xff;
  return out;
}

/** Values around the cut-off and on either side of it, with the byte patterns that break text codecs. */
const CASES: [string, Uint8Array | null][] = [
  ['null', null],
  ['empty', new Uint8Array(0)],
  ['all 256 byte values', ALL_BYTES],
  ['invalid UTF-8', BAD_UTF8],
  ['at the cut-off', filled(INLINE_VALUE_MAX, 1)],
  ['one above the cut-off', filled(INLINE_VALUE_MAX + 1, 2)],
  ['64 KiB', filled(64 * 1024, 3)],
];

function bytes(v: Uint8Array | null): number[] | null {
  return v === null ? null : [...v];
}

function fsmWith(): { fsm: StateFsm; apply: (cmd: Command) => unknown } {
  const fsm = new StateFsm(new StateStore());
  let index = 0;
  return { fsm, apply: (cmd) => fsm.apply(++index, encodeCommand(cmd)) };
}

async function snapshotRestore(fsm: StateFsm): Promise<StateFsm> {
  const chunks: Uint8Array[] = [];
  for await (const c of fsm.snapshot().chunks()) chunks.push(c);
  const restored = new StateFsm(new StateStore());
  await restored.restore(
    (async function* () {
      yield* chunks;
    })(),
  );
  return restored;
}

describe('KV value storage (KvRow)', () => {
  for (const [name, value] of CASES) {
    it(`round-trips ${name} byte-exactly through pack and unpack`, () => {
      const back = unpackValue(packValue(value));
      expect(bytes(back)).to.deep.equal(bytes(value));
      if (back !== null) expect(Object.getPrototypeOf(back)).to.equal(Uint8Array.prototype);
    });
  }

  it('holds values up to the cut-off as strings and larger ones as exact-size bytes of their own', () => {
    expect(packValue(filled(INLINE_VALUE_MAX, 0))).to.be.a('string');
    const frame = filled(4 * INLINE_VALUE_MAX, 0);
    const view = frame.subarray(100, 100 + INLINE_VALUE_MAX + 1);
    const stored = packValue(view) as Uint8Array;
    expect(stored).to.be.instanceOf(Uint8Array);
    expect(stored.buffer, 'must not pin the frame a decoder handed out').to.not.equal(frame.buffer);
    expect(stored.buffer.byteLength).to.equal(INLINE_VALUE_MAX + 1);
    frame.fill(0);
    expect(bytes(stored)).to.deep.equal(bytes(filled(4 * INLINE_VALUE_MAX, 0).subarray(100, 100 + INLINE_VALUE_MAX + 1)));
  });

  it('a reader mutating a small value it was given cannot change the store', () => {
    const row = rowFromEntry({
      Key: 'k',
      Value: Buffer.from('abc'),
      Flags: 0,
      Session: '',
      LockIndex: 0,
      CreateIndex: 1,
      ModifyIndex: 1,
    });
    toDirEntry(row).Value!.fill(0x7a);
    expect(Buffer.from(toDirEntry(row).Value!).toString()).to.equal('abc');
  });

  it('every case survives the log codec, reads, txn get / get-tree, and snapshot save and restore', async () => {
    const { fsm, apply } = fsmWith();
    CASES.forEach(([, value], i) => apply({ v: 1, type: 'kv-set', Key: `set/${i}`, Value: value, Flags: i }));
    const txn = apply({
      v: 1,
      type: 'txn',
      Ops: CASES.map(([, value], i) => ({ KV: { Verb: 'set' as const, Key: `txn/${i}`, Value: value } })),
      now: 0,
    }) as TxnResponse;
    expect(txn.Errors).to.equal(null);
    expect(
      txn.Results!.map((r) => r.KV!.Value),
      'txn writes echo no value',
    ).to.deep.equal(CASES.map(() => null));

    const check = (store: StateStore, label: string) => {
      CASES.forEach(([name, value], i) => {
        for (const key of [`set/${i}`, `txn/${i}`]) {
          const e = store.kv.get(key).value!;
          expect(bytes(e.Value), `${label} get ${key} (${name})`).to.deep.equal(bytes(value));
        }
        expect(store.kv.get(`set/${i}`).value!.Flags, `${label} flags of ${name}`).to.equal(i);
      });
      const listed = new Map(store.kv.list('').value.map((e: DirEntry) => [e.Key, bytes(e.Value)]));
      CASES.forEach(([name, value], i) => expect(listed.get(`txn/${i}`), `${label} list (${name})`).to.deep.equal(bytes(value)));
    };
    check(fsm.store, 'live');

    const read = apply({
      v: 1,
      type: 'txn',
      Ops: [{ KV: { Verb: 'get', Key: 'set/2' } }, { KV: { Verb: 'get-tree', Key: 'txn/' } }],
      now: 0,
    }) as TxnResponse;
    expect(bytes(read.Results![0]!.KV!.Value)).to.deep.equal(bytes(ALL_BYTES));
    const tree = new Map(read.Results!.slice(1).map((r) => [r.KV!.Key, bytes(r.KV!.Value)]));
    CASES.forEach(([name, value], i) => expect(tree.get(`txn/${i}`), `get-tree (${name})`).to.deep.equal(bytes(value)));

    check((await snapshotRestore(fsm)).store, 'restored');
  });

  it('lock, re-acquire, unlock and session invalidation keep the value byte-exact', () => {
    const { fsm, apply } = fsmWith();
    apply({ v: 1, type: 'register', Node: 'n1', Address: '10.0.0.1', now: 0 });
    apply({ v: 1, type: 'session-create', Session: { ID: 's1', Node: 'n1', Checks: [] }, now: 0 });
    apply({ v: 1, type: 'kv-lock', Key: 'l', Value: ALL_BYTES, Session: 's1', now: 0 });
    expect(bytes(fsm.store.kv.get('l').value!.Value)).to.deep.equal(bytes(ALL_BYTES));
    apply({ v: 1, type: 'kv-lock', Key: 'l', Value: BAD_UTF8, Session: 's1', now: 0 });
    expect(fsm.store.kv.get('l').value).to.include({ Session: 's1', LockIndex: 1 });
    expect(bytes(fsm.store.kv.get('l').value!.Value)).to.deep.equal(bytes(BAD_UTF8));
    apply({ v: 1, type: 'session-destroy', ID: 's1', now: 0 });
    expect(fsm.store.kv.get('l').value).to.include({ Session: '', LockIndex: 1 });
    expect(bytes(fsm.store.kv.get('l').value!.Value)).to.deep.equal(bytes(BAD_UTF8));
  });

  it('flags, lock holder and LockIndex survive every change between plain and locked rows, and a snapshot', async () => {
    const { fsm, apply } = fsmWith();
    const meta = (store: StateStore) => {
      const e = store.kv.get('k').value!;
      return { Flags: e.Flags, Session: e.Session, LockIndex: e.LockIndex, Value: Buffer.from(e.Value!).toString() };
    };
    apply({ v: 1, type: 'register', Node: 'n1', Address: '10.0.0.1', now: 0 });
    apply({ v: 1, type: 'session-create', Session: { ID: 's1', Node: 'n1', Checks: [] }, now: 0 });
    apply({ v: 1, type: 'kv-set', Key: 'k', Value: Buffer.from('a'), Flags: 42 });
    expect(meta(fsm.store)).to.deep.equal({ Flags: 42, Session: '', LockIndex: 0, Value: 'a' });
    apply({ v: 1, type: 'kv-set', Key: 'k', Value: Buffer.from('b') });
    expect(meta(fsm.store)).to.deep.equal({ Flags: 0, Session: '', LockIndex: 0, Value: 'b' });
    apply({ v: 1, type: 'kv-lock', Key: 'k', Value: Buffer.from('c'), Session: 's1', now: 0 });
    apply({ v: 1, type: 'kv-set', Key: 'k', Value: Buffer.from('d') });
    expect(meta(fsm.store), 'a plain set keeps the holder').to.deep.equal({ Flags: 0, Session: 's1', LockIndex: 1, Value: 'd' });
    expect(meta((await snapshotRestore(fsm)).store)).to.deep.equal({ Flags: 0, Session: 's1', LockIndex: 1, Value: 'd' });
    apply({ v: 1, type: 'kv-unlock', Key: 'k', Value: Buffer.from('e'), Session: 's1' });
    expect(meta(fsm.store), 'LockIndex outlives the lock').to.deep.equal({ Flags: 0, Session: '', LockIndex: 1, Value: 'e' });
    expect(meta((await snapshotRestore(fsm)).store)).to.deep.equal({ Flags: 0, Session: '', LockIndex: 1, Value: 'e' });
  });

  it('overwriting and deleting keys many times does not grow the heap', function () {
    this.timeout(60_000);
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { fsm, apply } = fsmWith();
    const round = (r: number) => {
      for (let i = 0; i < 2_000; i++) {
        const key = `churn/${i % 50}`;
        if (i % 7 === 6) apply({ v: 1, type: 'kv-delete', Key: key });
        else apply({ v: 1, type: 'kv-set', Key: key, Value: filled(i % 3 === 0 ? 2 * INLINE_VALUE_MAX : 100, r + i) });
      }
      // Tombstones are reaped as the leader would, or they alone would grow the heap.
      apply({ v: 1, type: 'tombstone-reap', Index: fsm.store.index });
    };
    const heapAfterGc = () => {
      gc();
      gc();
      return process.memoryUsage();
    };
    round(0);
    const before = heapAfterGc();
    for (let r = 1; r <= 20; r++) round(r);
    const after = heapAfterGc();
    expect(fsm.store.kv.list('churn/').value.length).to.be.at.most(50);
    // 40,000 writes of 100 B or 2 KiB: keeping them would add ~9 MiB of heap and ~26 MiB of ArrayBuffers.
    expect(after.heapUsed - before.heapUsed, 'heap growth').to.be.below(4 * 1024 * 1024);
    expect(after.arrayBuffers - before.arrayBuffers, 'ArrayBuffer growth').to.be.below(4 * 1024 * 1024);
  });
});
