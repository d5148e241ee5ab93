import { expect } from 'chai';
import { isCoded } from '@proconsul/kernel';
import { seededRandom } from '@proconsul/kernel/testing';
import { Unpackr } from 'msgpackr';
import { encodeKvRecord, kvRecordBound, kvRowFromRecord } from './kv-record-codec.js';
import { kvRow, packValue, unpackValue, type KvRow } from './kv-row.js';
import { FrameWriter, readFrames } from './snapshot-frames.js';

// Decodes as the snapshot reader does (readFrames' settings).
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, copyBuffers: true });

const NUMBERS = [0, 1, 127, 128, 255, 256, 65_535, 65_536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 2 ** 64 - 1];
const CHARS = ['a', '/', 'é', '€', '日', '😀', '\u0000'];

function randomString(next: () => number, max: number): string {
  const len = Math.floor(next() * max);
  let s = '';
  for (let i = 0; i < len; i++) s += CHARS[Math.floor(next() * CHARS.length)];
  return s;
}

function randomRow(next: () => number): KvRow {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  const sizes = [0, 1, 31, 32, 255, 256, 1024, 1025, 70_000];
  const value = next() < 0.1 ? null : new Uint8Array(pick(sizes)).map(() => Math.floor(next() * 256));
  const key = randomString(next, pick([8, 40, 300]));
  const session = next() < 0.5 ? '' : randomString(next, 40);
  return kvRow(key, packValue(value), pick(NUMBERS), session, pick(NUMBERS), pick(NUMBERS), pick(NUMBERS));
}

function fields(row: KvRow): unknown[] {
  return [row.Key, unpackValue(row.stored), row.Flags, row.Session, row.LockIndex, row.CreateIndex, row.ModifyIndex];
}

describe('KV snapshot record codec', () => {
  it('any msgpack reader decodes what it writes, for keys, values and numbers of every size', () => {
    const next = seededRandom(18);
    for (let i = 0; i < 400; i++) {
      const row = randomRow(next);
      const buf = Buffer.alloc(kvRecordBound(row));
      const end = encodeKvRecord(buf, 0, row);
      expect(end).to.be.at.most(buf.length);
      const decoded = unpackr.unpack(buf.subarray(0, end)) as unknown[];
      expect(decoded[0]).to.equal('K');
      expect(decoded.slice(1), `row ${i}`).to.deep.equal(fields(row));
      expect(fields(kvRowFromRecord(decoded)), `row ${i}`).to.deep.equal(fields(row));
    }
  });

  it('writes ASCII and non-ASCII keys and sessions of every header size the same way a reader expects', () => {
    for (const len of [0, 1, 31, 32, 63, 64, 255, 256, 70_000]) {
      for (const ch of ['k', 'é', '😀']) {
        const key = ch.repeat(len);
        const row = kvRow(key, packValue(null), 0, 'k'.repeat(len), 0, 1, 2);
        const buf = Buffer.alloc(kvRecordBound(row));
        const end = encodeKvRecord(buf, 0, row);
        const decoded = unpackr.unpack(buf.subarray(0, end)) as unknown[];
        expect(decoded.slice(1), `${len} × ${ch}`).to.deep.equal(fields(row));
      }
    }
  });

  it('keeps rows intact through frames, beside records written by msgpackr', async () => {
    const next = seededRandom(19);
    const rows = Array.from({ length: 300 }, () => randomRow(next));
    const writer = new FrameWriter();
    const frames: Uint8Array[] = [];
    for (const [i, row] of rows.entries()) {
      writer.add(['m', `meta${i}`, { n: i }]);
      writer.addKv(row);
      if (writer.bytes > 4096) frames.push(writer.flush()!);
    }
    const last = writer.flush();
    if (last) frames.push(last);
    async function* source() {
      yield* frames;
    }
    const records: unknown[][] = [];
    for await (const frame of readFrames(source())) records.push(...(frame as unknown[][]));
    expect(records).to.have.length(600);
    for (const [i, row] of rows.entries()) {
      expect(records[2 * i]).to.deep.equal(['m', `meta${i}`, { n: i }]);
      expect(fields(kvRowFromRecord(records[2 * i + 1]!))).to.deep.equal(fields(row));
    }
  });

  it('refuses a malformed record with STATE_SNAPSHOT_INVALID', () => {
    const good = ['K', 'k', null, 0, '', 0, 1, 2];
    expect(fields(kvRowFromRecord(good))).to.deep.equal(['k', null, 0, '', 0, 1, 2]);
    const bad = [
      ['K', 'k', null, 0, '', 0, 1], // short
      ['K', 7, null, 0, '', 0, 1, 2], // key not a string
      ['K', 'k', 'v', 0, '', 0, 1, 2], // value not bytes
      ['K', 'k', null, -1, '', 0, 1, 2], // negative flags
      ['K', 'k', null, 0, null, 0, 1, 2], // session not a string
      ['K', 'k', null, 0, '', 0, '1', 2], // index not a number
    ];
    for (const rec of bad) {
      let err: unknown;
      try {
        kvRowFromRecord(rec);
      } catch (e) {
        err = e;
      }
      expect(isCoded(err, 'STATE_SNAPSHOT_INVALID'), JSON.stringify(rec)).to.equal(true);
    }
  });
});
