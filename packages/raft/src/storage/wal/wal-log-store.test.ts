import { expect } from 'chai';
import { mkdtemp, open, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCoded } from '@proconsul/kernel';
import type { LogEntry } from '../../core/messages.js';
import { WalLogStore } from './wal-log-store.js';

function entry(index: number, term = 1, size = 20): LogEntry {
  return { index, term, kind: 'cmd', data: new Uint8Array(size).fill(index % 251) };
}
function range(from: number, to: number, term = 1, size = 20): LogEntry[] {
  const out: LogEntry[] = [];
  for (let i = from; i <= to; i++) out.push(entry(i, term, size));
  return out;
}
function indexes(es: readonly LogEntry[]): number[] {
  return es.map((e) => e.index);
}

describe('WalLogStore', () => {
  let dir: string;
  let store: WalLogStore | undefined;
  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'wal-')), 'raft', 'wal');
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    await rm(join(dir, '..', '..'), { recursive: true, force: true });
  });
  async function reopen(segmentBytes = 1 << 20): Promise<LogEntry[]> {
    await store?.close();
    store = await WalLogStore.open(dir, { segmentBytes });
    return store.loadAll();
  }
  async function reopenKeeping(s: WalLogStore): Promise<WalLogStore> {
    await s.close();
    return WalLogStore.open(dir, { segmentBytes: 1 << 20 });
  }
  async function segments(): Promise<string[]> {
    return (await readdir(dir)).sort();
  }
  async function lastSegment(): Promise<string> {
    return join(dir, (await segments()).at(-1)!);
  }

  it('loads back what was appended, terms, kinds and payloads intact, with 0700 dir and 0600 files', async () => {
    await reopen();
    const conf: LogEntry = {
      index: 1,
      term: 1,
      kind: 'conf',
      config: { servers: [{ id: 'a', node: 'a', address: 'x:1', suffrage: 'voter' }] },
    };
    await store!.append([conf, ...range(2, 50, 2)]);
    const back = await reopen();
    expect(indexes(back)).to.deep.equal(range(1, 50).map((e) => e.index));
    expect(back[0]).to.deep.equal(conf);
    expect(back[49]!.term).to.equal(2);
    expect(Buffer.from(back[9]!.data!)).to.deep.equal(Buffer.from(entry(10).data!));
    expect((await stat(dir)).mode & 0o777).to.equal(0o700);
    expect((await stat(await lastSegment())).mode & 0o777).to.equal(0o600);
  });

  it('resolves 100 concurrent appends (group-committed) and loads all of them back', async () => {
    await reopen();
    const writes = [];
    for (let i = 1; i <= 100; i++) writes.push(store!.append([entry(i)]));
    await Promise.all(writes);
    expect(indexes(await reopen())).to.have.length(100);
  });

  it('truncates a conflicting suffix and appends after it, across a reopen', async () => {
    await reopen(600);
    await store!.append(range(1, 40, 1));
    expect((await segments()).length).to.be.greaterThan(2);
    await store!.append(range(15, 20, 2), 15);
    let back = await reopen(600);
    expect(indexes(back)).to.deep.equal(range(1, 20).map((e) => e.index));
    expect(back[14]!.term).to.equal(2);
    expect(back[13]!.term).to.equal(1);
    // Truncation at a segment's first entry removes the segment, appends continue.
    await store!.append(range(21, 30, 2));
    await store!.append(range(3, 3, 3), 3);
    back = await reopen(600);
    expect(indexes(back)).to.deep.equal([1, 2, 3]);
    expect(back[2]!.term).to.equal(3);
  });

  it('rotates at the segment size and drops a prefix by deleting whole segments', async () => {
    await reopen(1000);
    await store!.append(range(1, 200));
    const before = await segments();
    expect(before.length).to.be.greaterThan(4);
    await store!.dropPrefix(120);
    const after = await segments();
    expect(after.length).to.be.lessThan(before.length);
    const back = await reopen(1000);
    // Only whole segments go: what is left starts at or below 121 and runs to the end.
    expect(back[0]!.index).to.be.at.most(121);
    expect(back[0]!.index).to.be.greaterThan(1);
    expect(back.at(-1)!.index).to.equal(200);
    expect(indexes(back)).to.deep.equal(range(back[0]!.index, 200).map((e) => e.index));
  });

  it('empties on a drop past the end, then accepts an append at any index (a snapshot installed)', async () => {
    await reopen(1000);
    await store!.append(range(1, 60));
    await store!.dropPrefix(60);
    expect(await segments()).to.deep.equal([]);
    await store!.append(range(45, 50, 3));
    expect(indexes(await reopen(1000))).to.deep.equal([45, 46, 47, 48, 49, 50]);
  });

  it('cuts a torn last record at recovery and keeps everything before it; appends continue', async () => {
    await reopen();
    await store!.append(range(1, 10));
    await store!.close();
    store = undefined;
    const file = await lastSegment();
    const size = (await stat(file)).size;
    await truncate(file, size - 5);
    const cuts: string[] = [];
    store = await WalLogStore.open(dir, { segmentBytes: 1 << 20, onTailCut: (f, reason) => cuts.push(`${f}: ${reason}`) });
    expect(indexes(await store.loadAll())).to.deep.equal(range(1, 9).map((e) => e.index));
    expect(cuts).to.have.length(1);
    expect(cuts[0]).to.contain(file);
    await store!.append([entry(10, 2)]);
    const back = await reopen();
    expect(back.at(-1)).to.include({ index: 10, term: 2 });
  });

  it('cuts a last record whose bytes were flipped (CRC mismatch)', async () => {
    await reopen();
    await store!.append(range(1, 10));
    await store!.close();
    store = undefined;
    const file = await lastSegment();
    const fh = await open(file, 'r+');
    const size = (await fh.stat()).size;
    await fh.write(Buffer.of(0xff ^ 0x5a), 0, 1, size - 3);
    await fh.close();
    expect(indexes(await reopen())).to.deep.equal(range(1, 9).map((e) => e.index));
  });

  it('cuts garbage appended after the last record (a write that never completed)', async () => {
    await reopen();
    await store!.append(range(1, 5));
    await store!.close();
    store = undefined;
    const fh = await open(await lastSegment(), 'a');
    await fh.write(Buffer.from([0x30, 0, 0, 0, 1, 2, 3]));
    await fh.close();
    expect(indexes(await reopen())).to.deep.equal([1, 2, 3, 4, 5]);
  });

  it('refuses to open when a record before the last is corrupt, and loses nothing by trying', async () => {
    await reopen();
    await store!.append(range(1, 10));
    await store!.close();
    store = undefined;
    const file = await lastSegment();
    const fh = await open(file, 'r+');
    await fh.write(Buffer.of(0x99), 0, 1, 30); // inside record 1 or 2
    await fh.close();
    const sizeBefore = (await stat(file)).size;
    let err: unknown;
    try {
      store = await WalLogStore.open(dir, { segmentBytes: 1 << 20 });
    } catch (e) {
      err = e;
    }
    expect(isCoded(err) && err.code).to.equal('RAFT_LOG_CORRUPT');
    expect(String((err as Error).message)).to.include(file);
    expect((await stat(file)).size).to.equal(sizeBefore);
  });

  it('refuses to open when an earlier (fsynced, rotated) segment is damaged at its end', async () => {
    await reopen(500);
    await store!.append(range(1, 60));
    await store!.close();
    store = undefined;
    const first = join(dir, (await segments())[0]!);
    await truncate(first, (await stat(first)).size - 3);
    let err: unknown;
    try {
      store = await WalLogStore.open(dir, { segmentBytes: 500 });
    } catch (e) {
      err = e;
    }
    expect(isCoded(err) && err.code).to.equal('RAFT_LOG_CORRUPT');
  });

  it('drops an empty last segment left by a crash right after rotation', async () => {
    await reopen(500);
    await store!.append(range(1, 30));
    await store!.close();
    store = undefined;
    await writeFile(join(dir, `${String(31).padStart(20, '0')}.wal`), '', { mode: 0o600 });
    const back = await reopen(500);
    expect(back.at(-1)!.index).to.equal(30);
    await store!.append([entry(31)]);
    expect((await reopen(500)).at(-1)!.index).to.equal(31);
  });

  it('an append that does not continue the log replaces it: a suffix is cut, a log ending short of it is emptied', async () => {
    await reopen(600);
    await store!.append(range(1, 30, 1));
    await store!.append(range(12, 13, 2)); // no truncateFrom: entries 12.. are replaced
    let back = await reopen(600);
    expect(indexes(back)).to.deep.equal(range(1, 13).map((e) => e.index));
    expect(back[11]!.term).to.equal(2);
    await store!.append(range(50, 52, 3)); // past the end: the stale log goes
    back = await reopen(600);
    expect(indexes(back)).to.deep.equal([50, 51, 52]);
  });

  it('leaves out entries below the index loadAll is given (covered by a snapshot)', async () => {
    await reopen(1 << 20);
    await store!.append(range(1, 40));
    await store!.close();
    store = await WalLogStore.open(dir, { segmentBytes: 1 << 20 });
    expect(indexes(await store.loadAll(31))).to.deep.equal(range(31, 40).map((e) => e.index));
    await store.append([entry(41)]);
    store = await reopenKeeping(store);
    expect(indexes(await store.loadAll(45))).to.deep.equal([]);
  });
});
