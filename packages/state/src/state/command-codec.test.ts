import { expect } from 'chai';
import { Packr } from 'msgpackr';
import { isCoded, type Command } from '@proconsul/kernel';
import { decodeCommand, encodeCommand } from './command-codec.js';

const samples: Command[] = [
  { v: 1, type: 'register', Node: 'n', Address: 'a', Service: { Service: 's', Tags: ['x'] }, Checks: [{ Name: 'c' }], now: 5 },
  { v: 1, type: 'deregister', Node: 'n', ServiceID: 's', now: 1 },
  { v: 1, type: 'kv-set', Key: 'k', Value: new Uint8Array([0, 255, 7]), Flags: 42 },
  { v: 1, type: 'kv-cas', Key: 'k', Value: null, Index: 0 },
  { v: 1, type: 'kv-lock', Key: 'k', Value: null, Session: 's', now: 9 },
  { v: 1, type: 'txn', Ops: [{ KV: { Verb: 'get', Key: 'k' } }], now: 0 },
  { v: 1, type: 'session-create', Session: { ID: 'i', Node: 'n', LockDelay: 15_000_000_000 }, now: 3 },
  {
    v: 1,
    type: 'coordinate-batch',
    Updates: [{ Node: 'n', Segment: '', Coord: { Vec: [0.5, -1], Error: 1.5, Adjustment: 0, Height: 1e-5 } }],
  },
  { v: 1, type: 'system-meta-set', Key: 'k', Value: { nested: [1, 'two'] } },
];

/** JSON form with byte arrays as number arrays (Buffer and Uint8Array stringify differently). */
const plain = (x: unknown): unknown =>
  JSON.parse(
    JSON.stringify(x, (_k, v: unknown) =>
      v instanceof Uint8Array
        ? [...v]
        : (v as { type?: string; data?: number[] })?.type === 'Buffer'
          ? (v as { data: number[] }).data
          : v,
    ),
  );

describe('command codec', () => {
  it('round-trips commands, including bytes and large integers', () => {
    for (const cmd of samples) {
      const back = decodeCommand(encodeCommand(cmd));
      expect(isCoded(back)).to.equal(false);
      expect(plain(back)).to.deep.equal(plain(cmd));
    }
    const kv = decodeCommand(encodeCommand(samples[2]!)) as Extract<Command, { type: 'kv-set' }>;
    expect([...kv.Value!]).to.deep.equal([0, 255, 7]);
  });

  it('gives a big command a buffer of its own size, so the raft log entry holding it pins nothing more', () => {
    for (const size of [20_000, 256 * 1024, 512 * 1024]) {
      const bytes = encodeCommand({ v: 1, type: 'kv-set', Key: 'big', Value: new Uint8Array(size).fill(7), Flags: 0 });
      expect(bytes.byteLength).to.be.greaterThan(size);
      expect(bytes.buffer.byteLength, `${size} B value`).to.equal(bytes.byteLength);
      const back = decodeCommand(bytes) as Extract<Command, { type: 'kv-set' }>;
      expect(back.Value).to.deep.equal(new Uint8Array(size).fill(7));
    }
  });

  it('returns (does not throw) errors for unknown versions, types, garbage and missing fields', () => {
    const raw = new Packr({ useRecords: false });
    const bad = [
      raw.pack({ v: 2, type: 'kv-set', Key: 'k' }),
      raw.pack({ v: 1, type: 'kv-frobnicate', Key: 'k' }),
      raw.pack({ v: 1, type: 'kv-set' }),
      raw.pack([1, 2, 3]),
      raw.pack({ v: 1, type: 'kv-lock', Key: 'k', Session: 's' }), // no leader time
      new Uint8Array([0xc1]),
    ];
    for (const bytes of bad) {
      const r = decodeCommand(bytes);
      expect(isCoded(r, 'STATE_COMMAND_INVALID'), JSON.stringify(r)).to.equal(true);
    }
  });
});
