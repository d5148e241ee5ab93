import { expect } from 'chai';
import { encodeFrame, FrameDecoder } from './framing.js';
import { encodeRaftFrame, SHARED_MIN_ELEMENTS } from './raft-frame.js';

const entry = (index: number, bytes: number) => ({
  index,
  term: 3,
  kind: 'cmd',
  data: Uint8Array.from({ length: bytes }, (_, i) => (i * 7 + index) & 0xff),
});

const append = (to: string, seq: number, entries: readonly unknown[]) => ({
  type: 'append',
  from: 's1',
  to,
  term: 3,
  prevLogIndex: 41,
  prevLogTerm: 2,
  leaderCommit: 40,
  seq,
  entries,
});

describe('raft frames with shared entries', () => {
  it('are byte for byte the frames encodeFrame makes', () => {
    const shapes: unknown[][] = [
      [entry(42, 150)],
      Array.from({ length: SHARED_MIN_ELEMENTS }, (_, i) => entry(42 + i, 150)),
      Array.from({ length: 64 }, (_, i) => entry(42 + i, 120 + i)),
      [{ index: 42, term: 3, kind: 'noop' }],
      [
        {
          index: 42,
          term: 3,
          kind: 'conf',
          config: { servers: [{ id: 's1', address: '127.0.0.1:8300', suffrage: 'voter' }] },
        },
      ],
      // A large entry (a 70 KiB value) moves msgpackr to bin32 and a new output buffer.
      [entry(42, 70_000), entry(43, 10), entry(44, 10), entry(45, 10)],
    ];
    for (const entries of shapes) {
      const frozen = Object.freeze(entries.slice());
      const withUndefined = { extra: undefined, ...append('s2', 9, frozen) };
      for (const m of [append('s2', 7, frozen), append('s3', 8, frozen), withUndefined]) {
        expect(Buffer.compare(encodeRaftFrame(m), encodeFrame(m))).to.equal(0);
      }
    }
  });

  it('decode to the same message on the follower', () => {
    const frozen = Object.freeze(Array.from({ length: SHARED_MIN_ELEMENTS }, (_, i) => entry(42 + i, 100)));
    const got: unknown[] = [];
    const decoder = new FrameDecoder((v) => got.push(v));
    decoder.push(encodeRaftFrame(append('s2', 1, frozen)));
    decoder.push(encodeRaftFrame(append('s3', 2, frozen)));
    expect(got).to.have.length(2);
    const [a, b] = got as ReturnType<typeof append>[];
    expect(a!.seq).to.equal(1);
    expect(b!.seq).to.equal(2);
    expect(b!.to).to.equal('s3');
    expect((a!.entries as { index: number }[]).map((e) => e.index)).to.deep.equal(frozen.map((e) => e.index));
    expect(Buffer.from((b!.entries[1] as { data: Uint8Array }).data)).to.deep.equal(Buffer.from(frozen[1]!.data));
  });

  it('reuse the encoding of a frozen array only: an unfrozen one is encoded as it is now', () => {
    const shared = Object.freeze(Array.from({ length: SHARED_MIN_ELEMENTS }, (_, i) => entry(1 + i, 10)));
    const before = encodeRaftFrame(append('s2', 1, shared));
    // The contract says a frozen array is immutable all the way down; its first encoding stands.
    (shared[0]!.data as Uint8Array)[0] = 0xee;
    expect(Buffer.compare(encodeRaftFrame(append('s2', 1, shared)), before)).to.equal(0);
    // Arrays that are not frozen promise nothing and are encoded each time.
    const open = Array.from({ length: SHARED_MIN_ELEMENTS }, (_, i) => entry(1 + i, 10));
    const first = encodeRaftFrame(append('s2', 1, open));
    open[0]!.data[0] = 0xee;
    expect(Buffer.compare(encodeRaftFrame(append('s2', 1, open)), first)).to.not.equal(0);
    expect(Buffer.compare(encodeRaftFrame(append('s2', 1, open)), encodeFrame(append('s2', 1, open)))).to.equal(0);
  });

  it('share nothing when the frozen array is not the last field or is short', () => {
    const many = () => Object.freeze(Array.from({ length: SHARED_MIN_ELEMENTS }, (_, i) => entry(1 + i, 10)));
    const notLast = many();
    const short = Object.freeze([entry(1, 10)]);
    for (const [m, array] of [
      [{ entries: notLast, seq: 1 }, notLast],
      [append('s2', 1, short), short],
    ] as const) {
      const first = encodeRaftFrame(m);
      (array[0]!.data as Uint8Array)[0] = 0xee;
      expect(Buffer.compare(encodeRaftFrame(m), first)).to.not.equal(0);
      expect(Buffer.compare(encodeRaftFrame(m), encodeFrame(m))).to.equal(0);
    }
    for (const m of [{ type: 'appendResp', seq: 1, success: true }, 'text', 7, null, [1, 2], append('s2', 1, [])]) {
      expect(Buffer.compare(encodeRaftFrame(m), encodeFrame(m))).to.equal(0);
    }
  });
});
