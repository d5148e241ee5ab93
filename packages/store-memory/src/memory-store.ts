import {
  StorageClosed,
  type Entry,
  type KeyValueReader,
  type KeyValueStore,
  type RangeOptions,
  type StoreSnapshot,
  type WriteOp,
  type WriteOptions,
} from '@proconsul/kernel';
import { checkWriteOps, compareBytes, normalizeRange, SortedMap, toKeyRange } from '@proconsul/collections';

/** Always a fresh buffer: Buffer#slice would alias the store's bytes. */
const copy = (u: Uint8Array) => new Uint8Array(u);

export type ByteMap = SortedMap<Uint8Array, Uint8Array>;

/**
 * Reads over one map version. Buffers handed out are copies: the store keeps the
 * originals (the caller of write gave up ownership of them), so callers may mutate what
 * they receive.
 */
export class MapReader implements KeyValueReader {
  constructor(
    protected map: ByteMap,
    private readonly label: string,
    private readonly isOpen: () => boolean,
  ) {}

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    this.assertOpen();
    const v = this.map.get(key);
    return v && copy(v);
  }

  iterate(range?: RangeOptions): AsyncIterable<Entry> {
    // Fixed now, at the call, not at the first next(): SortedMap iterators pin the
    // version current when they are created.
    const open = this.isOpen();
    const r = normalizeRange(range);
    const entries = open && !r.empty ? this.map.entries(toKeyRange(r)) : undefined;
    const label = this.label;
    return (async function* () {
      if (!open) throw StorageClosed(label);
      if (!entries) return;
      let n = 0;
      for (const [k, v] of entries) {
        if (n++ >= r.limit) return;
        yield [copy(k), copy(v)] as const;
      }
    })();
  }

  protected assertOpen(): void {
    if (!this.isOpen()) throw StorageClosed(this.label);
  }
}

/**
 * One named keyspace of the memory engine. Writes apply synchronously inside `write`, so
 * batches (even with `delRange`) are atomic and serialised in call order without any queue.
 */
export class MemoryStore extends MapReader implements KeyValueStore {
  private open = true;

  constructor(
    readonly name: string,
    map: ByteMap,
    private readonly onClose: (map: ByteMap) => void,
  ) {
    super(map, name, () => this.open);
  }

  async write(ops: readonly WriteOp[], _options: WriteOptions): Promise<void> {
    this.assertOpen();
    checkWriteOps(ops);
    for (const op of ops) {
      if (op.type === 'put') this.map.set(op.key, op.value);
      else if (op.type === 'del') this.map.delete(op.key);
      else this.deleteRange(op.key, op.end);
    }
  }

  /** Keys are listed first: deleting while a cursor walks the same tree would move it. */
  private deleteRange(from: Uint8Array, end: Uint8Array): void {
    if (compareBytes(from, end) >= 0) return;
    for (const k of [...this.map.keys({ gte: from, lt: end })]) this.map.delete(k);
  }

  async snapshot(): Promise<StoreSnapshot> {
    this.assertOpen();
    return new MemorySnapshot(this.map.clone(), this.name);
  }

  async close(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    this.onClose(this.map);
  }
}

/** O(1) to take: a clone sharing the map's nodes until either side writes. */
class MemorySnapshot extends MapReader implements StoreSnapshot {
  private live = true;

  constructor(map: ByteMap, name: string) {
    super(map, `${name} (snapshot)`, () => this.live);
  }

  async release(): Promise<void> {
    this.live = false;
    // Drop the reference so released versions can be collected even if this object lingers.
    this.map = new SortedMap(compareBytes);
  }
}
