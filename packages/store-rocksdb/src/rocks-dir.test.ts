import { expect } from 'chai';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCoded } from '@proconsul/kernel';
import { closeDb, openDb, writeBatch } from './rocks-binding.js';
import { FORMAT_KEY } from './key-space.js';
import { RocksDbEngine } from './rocks-engine.js';

async function openError(engine: RocksDbEngine, name: string): Promise<unknown> {
  try {
    const s = await engine.open(name);
    await s.close();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('RocksDbEngine directories', () => {
  let base: string;
  let engine: RocksDbEngine;
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'proconsul-rocksdir-'));
    engine = new RocksDbEngine(base);
  });
  afterEach(async () => {
    await engine.closeAll();
    await rm(base, { recursive: true, force: true });
  });

  it('creates <base>/<name> (and missing parents) for a new store', async () => {
    const nested = new RocksDbEngine(join(base, 'a', 'b'));
    const s = await nested.open('raft-log');
    await s.close();
    expect(await readdir(join(base, 'a', 'b', 'raft-log'))).to.include.members(['CURRENT', 'LOCK']);
  });

  it('refuses a non-empty directory without a RocksDB database and leaves its files alone', async () => {
    await mkdir(join(base, 'x'));
    await writeFile(join(base, 'x', 'notes.txt'), 'mine');
    const err = await openError(engine, 'x');
    expect(isCoded(err, 'STORAGE_CORRUPT'), String(err)).to.equal(true);
    expect((err as Error).message)
      .to.contain(join(base, 'x'))
      .and.contain('no CURRENT file');
    expect(await readdir(join(base, 'x'))).to.deep.equal(['notes.txt']);
    expect(await readFile(join(base, 'x', 'notes.txt'), 'utf8')).to.equal('mine');
  });

  it('reports garbage in CURRENT as STORAGE_CORRUPT and does not rewrite it', async () => {
    const s = await engine.open('x');
    await s.write([{ type: 'put', key: new Uint8Array([1]), value: new Uint8Array([1]) }], { durable: true });
    await s.close();
    await writeFile(join(base, 'x', 'CURRENT'), 'garbage');
    const err = await openError(engine, 'x');
    expect(isCoded(err, 'STORAGE_CORRUPT'), String(err)).to.equal(true);
    expect(await readFile(join(base, 'x', 'CURRENT'), 'utf8')).to.equal('garbage');
  });

  it('refuses a RocksDB database written by another program (data, no format marker)', async () => {
    const path = join(base, 'foreign');
    const db = await openDb(path, { createIfMissing: true, errorIfExists: false });
    await writeBatch(db, [{ type: 'put', key: Buffer.from('their-key'), value: Buffer.from('v') }], true);
    await closeDb(db);
    const err = await openError(engine, 'foreign');
    expect(isCoded(err, 'STORAGE_CORRUPT'), String(err)).to.equal(true);
    expect((err as Error).message).to.contain('format marker');
  });

  it('adopts an empty RocksDB database without a marker (crash right after creation)', async () => {
    const db = await openDb(join(base, 'empty'), { createIfMissing: true, errorIfExists: false });
    await closeDb(db);
    const s = await engine.open('empty');
    await s.close();
  });

  it('refuses a store written in another format version', async () => {
    const path = join(base, 'v9');
    const db = await openDb(path, { createIfMissing: true, errorIfExists: false });
    await writeBatch(db, [{ type: 'put', key: FORMAT_KEY, value: Buffer.from('proconsul-kv/9') }], true);
    await closeDb(db);
    const err = await openError(engine, 'v9');
    expect(isCoded(err, 'STORAGE_CORRUPT'), String(err)).to.equal(true);
    expect((err as Error).message).to.contain('proconsul-kv/9');
  });

  it('refuses a path that is a file, and store names that could escape the base directory', async () => {
    await writeFile(join(base, 'file'), 'x');
    expect(isCoded(await openError(engine, 'file'), 'STORAGE_CORRUPT')).to.equal(true);
    for (const bad of ['../up', 'a/b', '', '.hidden']) {
      expect(isCoded(await openError(engine, bad), 'BAD_REQUEST'), bad).to.equal(true);
    }
  });

  it('rejects a second engine instance in this process opening the same directory with STORAGE_LOCKED', async () => {
    const s = await engine.open('shared');
    try {
      const err = await openError(new RocksDbEngine(base), 'shared');
      expect(isCoded(err, 'STORAGE_LOCKED'), String(err)).to.equal(true);
    } finally {
      await s.close();
    }
  });

  it('rejects a concurrent second open of the same name with STORAGE_LOCKED naming the path', async () => {
    const results = await Promise.allSettled([engine.open('dup'), engine.open('dup')]);
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected).to.have.length(1);
    const reason = (rejected[0] as PromiseRejectedResult).reason as Error;
    expect(isCoded(reason, 'STORAGE_LOCKED')).to.equal(true);
    expect(reason.message).to.contain(join(base, 'dup'));
  });
});
