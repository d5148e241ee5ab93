import {
  StorageClosed,
  type Entry,
  type KeyValueStore,
  type RangeOptions,
  type StoreSnapshot,
  type WriteOp,
  type WriteOptions,
} from '@proconsul/kernel';
import { checkWriteOps, normalizeRange } from '@proconsul/collections';
import { asBuffer, dataBounds, dataKey, userKey } from './key-space.js';
import { closeDb, getValue, RocksIterator, type BatchOp, type RocksDb } from './rocks-binding.js';
import { RocksSnapshot } from './rocks-snapshot.js';
import { WriteQueue } from './write-queue.js';

/**
 * One named keyspace: its own RocksDB in `<base>/<name>`. Reads go straight to the
 * binding (threadpool); writes go through a {@link WriteQueue}.
 */
export class RocksStore implements KeyValueStore {
  private closed = false;
  private readonly writes: WriteQueue;
  /** Open iterators and snapshots, ended on close so the database can shut down. */
  private readonly iterators = new Set<RocksIterator>();
  private readonly snapshots = new Set<RocksSnapshot>();

  constructor(
    readonly name: string,
    readonly path: string,
    private readonly db: RocksDb,
    private readonly onClose: () => void,
  ) {
    this.writes = new WriteQueue(db);
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    this.assertOpen();
    return getValue(this.db, dataKey(key));
  }

  iterate(range?: RangeOptions): AsyncIterable<Entry> {
    const r = normalizeRange(range);
    // Made now, not at the first next(): the binding pins a RocksDB snapshot when the
    // iterator is created, which fixes the version this scan sees. An iterable that is
    // never iterated holds that snapshot until the store closes.
    const it = !this.closed && !r.empty ? new RocksIterator(this.db, dataBounds(r)) : undefined;
    if (it) this.iterators.add(it);
    const closedAtCall = this.closed;
    const self = this;
    return (async function* () {
      if (closedAtCall) throw StorageClosed(self.name);
      if (!it) return;
      try {
        for (;;) {
          const e = await it.next().catch((err: unknown) => {
            throw self.closed ? StorageClosed(self.name) : err;
          });
          if (!e) return;
          yield [userKey(e[0]), e[1]] as const;
        }
      } finally {
        self.iterators.delete(it);
        await it.end();
      }
    })();
  }

  async write(ops: readonly WriteOp[], options: WriteOptions): Promise<void> {
    this.assertOpen();
    checkWriteOps(ops);
    const batch: BatchOp[] = ops.map((op) =>
      op.type === 'put'
        ? { type: 'put', key: dataKey(op.key), value: asBuffer(op.value) }
        : op.type === 'del'
          ? { type: 'del', key: dataKey(op.key) }
          : { type: 'clear', gte: dataKey(op.key), lt: dataKey(op.end) },
    );
    if (batch.length === 0) return;
    return this.writes.submit(batch, options.durable);
  }

  async snapshot(): Promise<StoreSnapshot> {
    this.assertOpen();
    const snap = await this.writes.quiesced(() => {
      // close() may have begun while we waited for the in-flight write.
      this.assertOpen();
      return new RocksSnapshot(this.db, this.name, (s) => this.snapshots.delete(s));
    });
    this.snapshots.add(snap);
    return snap;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writes.drain();
    await Promise.all([...this.snapshots].map((s) => s.release()));
    await Promise.all([...this.iterators].map((it) => it.end()));
    await closeDb(this.db);
    this.onClose();
  }

  private assertOpen(): void {
    if (this.closed) throw StorageClosed(this.name);
  }
}
