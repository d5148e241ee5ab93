import { expect } from 'chai';
import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSnapshotStore } from './file-snapshot-store.js';
import { filled, ONE_VOTER, readLatest } from './snapshot-test-support.js';

async function commitOne(store: FileSnapshotStore, index: number, fill: number, size = 10) {
  const sink = store.create(index, 1, ONE_VOTER);
  await sink.write(filled(size, fill));
  return sink.commit();
}

describe('raft file snapshot store (<data_dir>/raft/snapshots)', () => {
  let dir: string;
  const warnings: string[] = [];
  const open = (retain?: number) =>
    FileSnapshotStore.open(dir, { chunkBytes: 4, ...(retain && { retain }), onWarn: (m) => warnings.push(m) });
  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'file-snaps-')), 'snapshots');
    warnings.length = 0;
  });
  afterEach(() => rm(join(dir, '..'), { recursive: true, force: true }));

  it('a committed snapshot is the latest after reopening, read whole and in chunks of chunkBytes', async () => {
    let store = await open();
    expect(store.latest()).to.equal(undefined);
    const sink = store.create(30, 2, ONE_VOTER);
    for (let i = 0; i < 3; i++) await sink.write(filled(3, i));
    expect(await sink.commit()).to.include({ index: 30, term: 2, chunks: 3 });
    store = await open();
    const meta = store.latest()!;
    expect(meta).to.deep.include({ index: 30, term: 2, chunks: 3, config: ONE_VOTER });
    expect(await readLatest(store)).to.deep.equal([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    const chunks = await Promise.all([0, 1, 2, 3].map((seq) => store.readChunk(meta, seq)));
    expect(chunks.map((c) => [...c!])).to.deep.equal([[0, 0, 0, 1], [1, 1, 2, 2], [2], []]);
    const [name] = await readdir(dir);
    expect(name).to.match(/^2-30-\d+-\d+$/);
    expect((await readdir(join(dir, name!))).sort()).to.deep.equal(['meta.json', 'state.bin']);
  });

  it('keeps snapshots private: directories 0700, files 0600 (they hold KV values and ACL secrets)', async () => {
    const store = await open();
    await commitOne(store, 5, 1);
    const [name] = await readdir(dir);
    expect((await stat(dir)).mode & 0o777).to.equal(0o700);
    expect((await stat(join(dir, name!))).mode & 0o777).to.equal(0o700);
    for (const f of ['meta.json', 'state.bin']) expect((await stat(join(dir, name!, f))).mode & 0o777, f).to.equal(0o600);
  });

  it('a crash before commit leaves the previous snapshot in force and its .tmp directory is deleted at open', async () => {
    let store = await open();
    await commitOne(store, 10, 1);
    const unfinished = store.create(20, 1, ONE_VOTER);
    await unfinished.write(filled(10, 2)); // the process dies here: no commit
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).to.have.length(1);
    store = await open();
    expect(store.latest()).to.include({ index: 10 });
    expect(await readLatest(store)).to.deep.equal(Array(10).fill(1));
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).to.deep.equal([]);
  });

  it('keeps the newest two; a damaged newest one falls back to the one before it', async () => {
    let store = await open();
    for (const [i, index] of [10, 20, 30].entries()) await commitOne(store, index, i + 1);
    const names = (await readdir(dir)).sort();
    expect(names.map((n) => n.split('-')[1])).to.deep.equal(['20', '30']);
    // A torn write of the newest state.bin (same size, other bytes).
    const newest = names.find((n) => n.startsWith('1-30-'))!;
    await writeFile(join(dir, newest, 'state.bin'), filled(10, 9));
    store = await open();
    expect(store.latest()).to.include({ index: 20 });
    expect(await readLatest(store)).to.deep.equal(Array(10).fill(2));
    expect(warnings.join('\n')).to.contain('damaged');
    // A short file is refused the same way.
    await commitOne(store, 40, 4);
    const n40 = (await readdir(dir)).find((n) => n.startsWith('1-40-'))!;
    await truncate(join(dir, n40, 'state.bin'), 3);
    store = await open();
    expect(store.latest()).to.include({ index: 20 });
  });

  it('ignores a directory without a readable meta.json', async () => {
    let store = await open();
    await commitOne(store, 10, 1);
    const [name] = await readdir(dir);
    await writeFile(join(dir, name!, 'meta.json'), '{"version":1');
    store = await open();
    expect(store.latest()).to.equal(undefined);
    expect(warnings.join('\n')).to.contain('meta.json');
  });

  it('a commit older than the latest is dropped, and concurrent commits never let an older one win', async () => {
    const store = await open();
    await commitOne(store, 20, 1);
    expect(await commitOne(store, 15, 2)).to.equal(undefined);
    // Our own snapshot and one a leader sent, committing at the same time, in both orders.
    const a = store.create(40, 1, ONE_VOTER);
    const b = store.create(30, 1, ONE_VOTER);
    await a.write(filled(4, 4));
    await b.write(filled(4, 3));
    const [ra, rb] = await Promise.all([a.commit(), b.commit()]);
    expect([ra?.index, rb]).to.deep.equal([40, undefined]);
    const c = store.create(50, 1, ONE_VOTER);
    const d = store.create(60, 1, ONE_VOTER);
    await c.write(filled(4, 5));
    await d.write(filled(4, 6));
    const [rd, rc] = await Promise.all([d.commit(), c.commit()]);
    expect([rd?.index, rc]).to.deep.equal([60, undefined]);
    expect(store.latest()).to.include({ index: 60 });
    expect((await open()).latest()).to.include({ index: 60 });
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).to.deep.equal([]);
  });

  it('readChunk answers undefined for a snapshot that was replaced; abort leaves nothing', async () => {
    const store = await open();
    const old = (await commitOne(store, 10, 1))!;
    await commitOne(store, 20, 2);
    expect(await store.readChunk(old, 0)).to.equal(undefined);
    const sink = store.create(30, 1, ONE_VOTER);
    await sink.write(filled(5, 3));
    await sink.abort();
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).to.deep.equal([]);
    expect(JSON.parse(await readFile(join(dir, (await readdir(dir)).sort()[1]!, 'meta.json'), 'utf8'))).to.include({ index: 20 });
  });

  it('retention does not delete a snapshot while it is being read (a restore), only after', async () => {
    const store = await open();
    const first = (await commitOne(store, 10, 1))!;
    const reader = store.read(first)[Symbol.asyncIterator]();
    expect([...((await reader.next()).value as Uint8Array)]).to.deep.equal(Array(10).fill(1));
    await commitOne(store, 20, 2);
    await commitOne(store, 30, 3);
    expect((await readdir(dir)).map((n) => n.split('-')[1]).sort()).to.deep.equal(['10', '20', '30']);
    expect((await reader.next()).done).to.equal(true);
    await commitOne(store, 40, 4);
    expect((await readdir(dir)).map((n) => n.split('-')[1]).sort()).to.deep.equal(['30', '40']);
  });

  it('an empty snapshot is one empty chunk', async () => {
    const store = await open();
    const meta = (await store.create(7, 1, ONE_VOTER).commit())!;
    expect(meta.chunks).to.equal(1);
    expect([...(await store.readChunk(meta, 0))!]).to.deep.equal([]);
    expect(await readLatest(store)).to.deep.equal([]);
  });
});
