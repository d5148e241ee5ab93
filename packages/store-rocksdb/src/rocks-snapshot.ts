import { StorageClosed, type Entry, type RangeOptions, type StoreSnapshot } from '@proconsul/kernel';
import { inRange, normalizeRange } from '@proconsul/collections';
import { dataKey, userKey, wholeDataSpace } from './key-space.js';
import { RocksIterator, type RocksDb } from './rocks-binding.js';

/**
 * rocksdb@5's binding exposes no snapshot handle, but each binding iterator pins a RocksDB
 * snapshot when created. A StoreSnapshot therefore owns two iterators over the whole data
 * namespace, one forward and one reverse, created back to back while the store has no
 * write in flight (so they pin the same version), and serves every get and range scan by
 * seeking them. Readers of one snapshot interleave freely: each remembers where it was
 * and re-seeks when someone else moved the shared iterator.
 *
 * Cost: a get is a seek (runs on the JS thread in this binding) plus a next; scans that
 * interleave with other readers re-seek per entry.
 */
export class RocksSnapshot implements StoreSnapshot {
  private readonly cursors: Record<'fwd' | 'rev', SharedCursor>;
  private released = false;
  private readonly label: string;

  constructor(
    db: RocksDb,
    name: string,
    private readonly onRelease: (s: RocksSnapshot) => void,
  ) {
    this.label = `${name} (snapshot)`;
    this.cursors = {
      fwd: new SharedCursor(new RocksIterator(db, wholeDataSpace(false))),
      // No upper bound: seeking past the data namespace must land on its last key.
      rev: new SharedCursor(new RocksIterator(db, { gte: wholeDataSpace(true).gte, reverse: true })),
    };
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    this.assertLive();
    const k = dataKey(key);
    const e = await this.guard(this.cursors.fwd.read({}, k, false));
    return e && e[0].equals(k) ? e[1] : undefined;
  }

  iterate(range?: RangeOptions): AsyncIterable<Entry> {
    const r = normalizeRange(range);
    const self = this;
    return (async function* () {
      self.assertLive();
      if (r.empty) return;
      const cursor = r.reverse ? self.cursors.rev : self.cursors.fwd;
      const start = r.reverse ? r.upper : r.lower;
      let resume = start ? dataKey(start.key) : Buffer.from([r.reverse ? 0x02 : 0x01]);
      let skipEqual = start ? !start.inclusive : false;
      const me = {};
      for (let n = 0; n < r.limit; n++) {
        const e = await self.guard(cursor.read(me, resume, skipEqual));
        if (!e) return;
        const k = userKey(e[0]);
        if (!inRange(r, k)) return;
        resume = e[0];
        skipEqual = true;
        yield [k, e[1]] as const;
      }
    })();
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.onRelease(this);
    await Promise.all([this.cursors.fwd.end(), this.cursors.rev.end()]);
  }

  private assertLive(): void {
    if (this.released) throw StorageClosed(this.label);
  }

  private guard<T>(p: Promise<T>): Promise<T> {
    return p.catch((err: unknown) => {
      throw this.released ? StorageClosed(this.label) : err;
    });
  }
}

/** A RocksIterator shared by several readers, each identified by a token. */
class SharedCursor {
  private chain: Promise<unknown> = Promise.resolve();
  private positionedFor: object | undefined;

  constructor(private readonly it: RocksIterator) {}

  /**
   * The entry after the reader's position. When another reader moved the iterator (or
   * this is the reader's first read), seeks to `resume` first, skipping an exact match when
   * `skipEqual` (the entry at `resume` was already returned, or the bound is exclusive).
   */
  read(reader: object, resume: Buffer, skipEqual: boolean): Promise<[Buffer, Buffer] | undefined> {
    const run = this.chain.then(async () => {
      if (this.positionedFor === reader) return this.it.next();
      this.positionedFor = reader;
      await this.it.seek(resume);
      const e = await this.it.next();
      return e && skipEqual && e[0].equals(resume) ? this.it.next() : e;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  end(): Promise<void> {
    const run = this.chain.then(() => this.it.end());
    this.chain = run.catch(() => undefined);
    return run;
  }
}
