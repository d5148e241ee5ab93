import { resolve, join } from 'node:path';
import { BadRequest, StorageLocked, type KeyValueStore, type StorageEngine } from '@proconsul/kernel';
import { openStoreDir } from './rocks-dir.js';
import { RocksStore } from './rocks-store.js';

/** Store names become directory names, so they are kept to a portable, traversal-free set. */
const STORE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Durable engine: store `name` is an independent RocksDB in `<baseDir>/<name>`. Within
 * this process a name opens once; across processes RocksDB's LOCK file excludes a second
 * agent on the same directory (both report STORAGE_LOCKED).
 */
export class RocksDbEngine implements StorageEngine {
  readonly kind = 'rocksdb';
  readonly durable = true;
  private readonly open_ = new Map<string, RocksStore>();
  private readonly opening = new Set<string>();

  constructor(readonly baseDir: string) {}

  async open(name: string): Promise<KeyValueStore> {
    if (!STORE_NAME.test(name)) throw BadRequest(`invalid store name "${name}": use letters, digits, ".", "_" or "-"`);
    const path = resolve(join(this.baseDir, name));
    if (this.open_.has(name) || this.opening.has(name)) throw StorageLocked(path);
    this.opening.add(name);
    try {
      const db = await openStoreDir(path);
      const store = new RocksStore(name, path, db, () => this.open_.delete(name));
      this.open_.set(name, store);
      return store;
    } finally {
      this.opening.delete(name);
    }
  }

  /** Closes every store still open (agent shutdown), releasing their LOCK files. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.open_.values()].map((s) => s.close()));
  }
}
