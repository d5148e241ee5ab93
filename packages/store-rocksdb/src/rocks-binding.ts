import r from 'rocksdb';

/**
 * Promise wrappers over the rocksdb@5 binding (abstract-leveldown 7 callbacks). All disk
 * work of open/get/batch/iterator-next/close runs on the libuv threadpool; only
 * `RocksIterator.seek` runs on the JS thread (the binding's seek is synchronous).
 */
// @types/rocksdb declares an ES default export; the runtime is `module.exports = fn`.
const rocksdb = r as unknown as typeof r.default;
export type RocksDb = ReturnType<typeof rocksdb>;
type RawIterator = ReturnType<RocksDb['iterator']>;

export interface OpenOptions {
  readonly createIfMissing: boolean;
  readonly errorIfExists: boolean;
}

export async function openDb(path: string, options: OpenOptions): Promise<RocksDb> {
  const db = rocksdb(path);
  await new Promise<void>((resolve, reject) => db.open(options, (err) => (err ? reject(err) : resolve())));
  return db;
}

export function closeDb(db: RocksDb): Promise<void> {
  return new Promise((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
}

/** The stored value, or undefined when the binding reports NotFound. */
export function getValue(db: RocksDb, key: Buffer): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) =>
    db.get(key, { asBuffer: true }, (err, value) => {
      if (!err) resolve(value as Buffer);
      else if (/NotFound/i.test(err.message)) resolve(undefined);
      else reject(err);
    }),
  );
}

/** What the binding's `batch` takes. */
export type RowOp = { type: 'put'; key: Buffer; value: Buffer } | { type: 'del'; key: Buffer };
/** A queued write: a row op, or a range delete run by the binding's `clear` (see ordered-write.ts). */
export type BatchOp = RowOp | { type: 'clear'; gte: Buffer; lt: Buffer };

export function writeBatch(db: RocksDb, ops: RowOp[], sync: boolean): Promise<void> {
  return new Promise((resolve, reject) => db.batch(ops, { sync }, (err) => (err ? reject(err) : resolve())));
}

/**
 * Deletes [gte, lt) on the libuv threadpool: the binding's ClearWorker walks the range with
 * an iterator and writes the deletes in ascending batches of ~16 KiB of keys, unsynced. Not
 * atomic: a crash can leave an ascending prefix of the range deleted.
 */
export function clearRange(db: RocksDb, gte: Buffer, lt: Buffer): Promise<void> {
  type Clear = (o: { gte: Buffer; lt: Buffer }, cb: (err?: Error) => void) => void;
  const clear = (db as unknown as { clear: Clear }).clear.bind(db);
  return new Promise((resolve, reject) => clear({ gte, lt }, (err) => (err ? reject(err) : resolve())));
}

export interface IteratorOptions {
  gt?: Buffer;
  gte?: Buffer;
  lt?: Buffer;
  lte?: Buffer;
  reverse?: boolean;
  limit?: number;
}

/**
 * A binding iterator with its calls serialised: the binding forbids a next() while another
 * is pending and a seek() or end() racing a next() on the threadpool. The RocksDB snapshot
 * it reads is taken synchronously in the constructor.
 */
export class RocksIterator {
  private readonly it: RawIterator;
  private chain: Promise<unknown> = Promise.resolve();
  private ended = false;

  constructor(db: RocksDb, options: IteratorOptions) {
    this.it = db.iterator({ ...options, keys: true, values: true, keyAsBuffer: true, valueAsBuffer: true });
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Next entry, or undefined at the end of the range. */
  next(): Promise<[Buffer, Buffer] | undefined> {
    return this.serial(
      () =>
        new Promise((resolve, reject) =>
          this.it.next((err, key, value) => {
            if (err) reject(err);
            else resolve(key === undefined ? undefined : [key as Buffer, value as Buffer]);
          }),
        ),
    );
  }

  /** Repositions (forward: first key >= target; reverse: last key <= target). Blocks the JS thread briefly. */
  seek(target: Buffer): Promise<void> {
    return this.serial(async () => this.it.seek(target));
  }

  /** Releases the iterator and its RocksDB snapshot; idempotent. */
  end(): Promise<void> {
    return this.serial(async () => {
      if (this.ended) return;
      this.ended = true;
      await new Promise<void>((resolve, reject) => this.it.end((err) => (err ? reject(err) : resolve())));
    }, true);
  }

  private serial<T>(op: () => Promise<T>, evenIfEnded = false): Promise<T> {
    const run = this.chain.then(() => {
      if (this.ended && !evenIfEnded) throw new Error('iterator already ended');
      return op();
    });
    this.chain = run.catch(() => undefined);
    return run;
  }
}
