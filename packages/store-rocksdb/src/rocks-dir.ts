import { mkdir, readdir } from 'node:fs/promises';
import { StorageCorrupt, StorageLocked } from '@proconsul/kernel';
import { secureDataDir } from '@proconsul/agent';
import { getValue, openDb, writeBatch, closeDb, RocksIterator, type RocksDb } from './rocks-binding.js';
import { FORMAT_KEY, FORMAT_VERSION } from './key-space.js';

/**
 * Opens the RocksDB in `path` without ever creating over someone else's files: a database
 * is created only in an absent or empty directory, and an existing one must carry our
 * format marker. RocksDB's own LOCK file (an fcntl lock) keeps a second process out.
 *
 * The stores hold the Raft log, which carries ACL SecretIDs, so directories are made 0700
 * and, once RocksDB has opened (creating its WAL, MANIFEST, LOG…), every file in the store
 * is made 0600, tightening a directory left looser by an older version. RocksDB cannot be
 * given a file mode: files it creates later (new WALs, SSTs) follow the process umask,
 * which the agent sets to 0077, and sit in a 0700 directory either way.
 */
export async function openStoreDir(path: string): Promise<RocksDb> {
  const entries = await listDir(path);
  const fresh = entries === undefined || entries.length === 0;
  if (!fresh && !entries.includes('CURRENT')) {
    throw StorageCorrupt(
      path,
      `directory is not empty but holds no RocksDB database (no CURRENT file; found ${sample(entries)}); refusing to overwrite it`,
    );
  }
  if (entries === undefined) await mkdir(path, { recursive: true, mode: 0o700 });
  let db: RocksDb;
  try {
    db = await openDb(path, { createIfMissing: fresh, errorIfExists: fresh });
  } catch (err) {
    throw mapOpenError(path, err);
  }
  try {
    await checkMarker(db, path, fresh);
    secureDataDir(path);
  } catch (err) {
    await closeDb(db).catch(() => undefined);
    throw err;
  }
  return db;
}

async function checkMarker(db: RocksDb, path: string, fresh: boolean): Promise<void> {
  const marker = await getValue(db, FORMAT_KEY);
  if (marker === undefined) {
    // A crash between creating the database and writing the marker leaves an empty
    // database; adopting it is safe because there is nothing in it to misread.
    if (!fresh && !(await isEmpty(db))) {
      throw StorageCorrupt(path, 'RocksDB database without a Proconsul format marker (written by another program?)');
    }
    await writeBatch(db, [{ type: 'put', key: FORMAT_KEY, value: Buffer.from(FORMAT_VERSION) }], true);
    return;
  }
  if (marker.toString() !== FORMAT_VERSION) {
    throw StorageCorrupt(path, `unsupported store format "${marker.toString()}" (this build reads ${FORMAT_VERSION})`);
  }
}

async function isEmpty(db: RocksDb): Promise<boolean> {
  const it = new RocksIterator(db, { limit: 1 });
  try {
    return (await it.next()) === undefined;
  } finally {
    await it.end();
  }
}

function mapOpenError(path: string, err: unknown) {
  const msg = err instanceof Error ? err.message : String(err);
  // RocksDB: "IO error: While lock file: <dir>/LOCK: Resource temporarily unavailable"
  // (another process), or "lock hold by current process" (this one).
  if (/lock file|lock hold|LOCK:/i.test(msg)) return StorageLocked(path);
  const e = StorageCorrupt(path, msg);
  (e as { cause?: unknown }).cause = err;
  return e;
}

async function listDir(path: string): Promise<string[] | undefined> {
  try {
    return await readdir(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') throw StorageCorrupt(path, 'exists but is not a directory');
    throw err;
  }
}

function sample(names: string[]): string {
  const shown = names.slice(0, 3).join(', ');
  return names.length > 3 ? `${shown}, …` : shown;
}
