import {
  StorageClosed,
  StorageLocked,
  type Entry,
  type KeyValueStore,
  type RangeOptions,
  type StorageEngine,
  type StoreSnapshot,
  type WriteOp,
  type WriteOptions,
} from '@proconsul/kernel';
/** What SimDisk needs of a scheduler: the VirtualScheduler, or real timers (realTimeScheduler). */
export interface DiskScheduler {
  now(): number;
  at(delayMs: number, fn: () => void): unknown;
}

/** Real-time scheduler, for an in-memory engine in real-time tests. */
export const realTimeScheduler: DiskScheduler = {
  now: () => performance.now(),
  at: (ms, fn) => setTimeout(fn, ms),
};
import type { Prng } from './prng.js';
import { SimSnapshotFiles } from './sim-snapshot-files.js';
import { SimWalFiles } from './sim-wal-files.js';

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

type Data = Map<string, Uint8Array>;

/**
 * A simulated disk for one server. Writes are visible to reads at once (page cache) but
 * reach "disk" only when a durable write completes, after a simulated fsync delay;
 * `crash()` throws away everything not on disk, including writes whose promise has not
 * resolved. Hex keys sort exactly like memcmp order of the bytes.
 */
export class SimDisk {
  readonly disk = new Map<string, Data>();
  private readonly cache = new Map<string, Data>();
  private unsynced: { store: string; ops: readonly WriteOp[] }[] = [];
  private lastCompletion = 0;
  /** fsyncs issued (all stores): lets tests see group commit at work. */
  durableWrites = 0;
  /** Times the whole disk was lost ({@link wipe}). */
  wipes = 0;
  private epoch = 0;
  private readonly open = new Set<string>();
  private files: SimWalFiles | undefined;
  private snapshots: SimSnapshotFiles | undefined;

  constructor(
    private readonly sched: DiskScheduler,
    private readonly rng: Prng,
    private readonly fsyncMs: readonly [number, number] = [1, 5],
  ) {}

  engine(): StorageEngine {
    return {
      kind: 'sim',
      durable: true,
      open: async (name: string) => {
        if (this.open.has(name)) throw StorageLocked(name);
        this.open.add(name);
        if (!this.cache.has(name)) this.cache.set(name, new Map(this.disk.get(name) ?? []));
        return new SimStore(this, name, this.epoch);
      },
    };
  }

  /** The segment-file directory of the "wal" raft log backend on this disk (created on first use). */
  walFiles(): SimWalFiles {
    return (this.files ??= new SimWalFiles(this.sched, this.rng.fork(), this.fsyncMs));
  }

  /** The raft snapshot directory (FileSnapshotStore) on this disk (created on first use). */
  snapshotFiles(): SimSnapshotFiles {
    return (this.snapshots ??= new SimSnapshotFiles(this.sched, this.rng.fork(), this.fsyncMs));
  }

  /** Lose everything not fsync'd; open stores become closed. */
  crash(): void {
    this.files?.crash();
    this.snapshots?.crash();
    this.epoch++;
    this.unsynced = [];
    this.open.clear();
    this.cache.clear();
    for (const [name, data] of this.disk) this.cache.set(name, new Map(data));
  }

  /** Lose everything, synced or not: a server whose data dir is gone (or an in-memory store). */
  wipe(): void {
    this.wipes++;
    this.crash();
    this.files?.wipe();
    this.snapshots?.wipe();
    this.disk.clear();
    this.cache.clear();
  }

  /** @internal */
  alive(epoch: number): boolean {
    return epoch === this.epoch;
  }

  /** @internal */
  data(store: string): Data {
    let d = this.cache.get(store);
    if (!d) this.cache.set(store, (d = new Map()));
    return d;
  }

  /** @internal */
  write(store: string, epoch: number, ops: readonly WriteOp[], durable: boolean): Promise<void> {
    const data = this.data(store);
    for (const op of ops) applyOp(data, op);
    this.unsynced.push({ store, ops });
    if (!durable) return Promise.resolve();
    this.durableWrites++;
    // fsyncs complete in order, like a WAL.
    const done = Math.max(this.lastCompletion, this.sched.now() + this.rng.int(this.fsyncMs[0], this.fsyncMs[1]));
    this.lastCompletion = done;
    const batch = this.unsynced;
    this.unsynced = [];
    return new Promise((resolve) => {
      this.sched.at(done - this.sched.now(), () => {
        if (!this.alive(epoch)) return; // crashed first: lost, and the caller never hears back
        for (const w of batch) {
          let d = this.disk.get(w.store);
          if (!d) this.disk.set(w.store, (d = new Map()));
          for (const op of w.ops) applyOp(d, op);
        }
        resolve();
      });
    });
  }

  /** @internal */
  closeStore(name: string): void {
    this.open.delete(name);
  }
}

class SimStore implements KeyValueStore {
  private closed = false;

  constructor(
    private readonly disk: SimDisk,
    private readonly name: string,
    private readonly epoch: number,
  ) {}

  private check(): void {
    if (this.closed || !this.disk.alive(this.epoch)) throw StorageClosed(this.name);
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    this.check();
    return this.disk.data(this.name).get(hex(key))?.slice();
  }

  async *iterate(range: RangeOptions = {}): AsyncIterable<Entry> {
    this.check();
    const rows = [...this.disk.data(this.name).entries()]
      .filter(([k]) => inRange(k, range))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (range.reverse) rows.reverse();
    const limited = range.limit !== undefined ? rows.slice(0, range.limit) : rows;
    for (const [k, v] of limited) yield [unhex(k), v.slice()] as const;
  }

  async write(ops: readonly WriteOp[], options: WriteOptions): Promise<void> {
    this.check();
    return this.disk.write(this.name, this.epoch, ops, options.durable);
  }

  async snapshot(): Promise<StoreSnapshot> {
    this.check();
    const copy = new Map(this.disk.data(this.name));
    return {
      get: async (key) => copy.get(hex(key))?.slice(),
      iterate: (range) => iterateMap(copy, range ?? {}),
      release: async () => {},
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.disk.closeStore(this.name);
  }
}

/**
 * One op on a store's data. A `delRange` is applied whole, at the batch's fsync: this disk
 * is stricter than RocksDB (whose range delete may be cut short by a crash, ascending), so
 * the partial case is tested on the log store itself (kv-log-store.test.ts).
 */
function applyOp(data: Data, op: WriteOp): void {
  if (op.type === 'put') data.set(hex(op.key), op.value.slice());
  else if (op.type === 'del') data.delete(hex(op.key));
  else {
    const from = hex(op.key);
    const end = hex(op.end);
    for (const k of [...data.keys()]) if (k >= from && k < end) data.delete(k);
  }
}

async function* iterateMap(map: Data, range: RangeOptions): AsyncIterable<Entry> {
  const rows = [...map.entries()].filter(([k]) => inRange(k, range)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (range.reverse) rows.reverse();
  for (const [k, v] of range.limit !== undefined ? rows.slice(0, range.limit) : rows) yield [unhex(k), v.slice()] as const;
}

function inRange(k: string, r: RangeOptions): boolean {
  if (r.prefix && !k.startsWith(hex(r.prefix))) return false;
  if (r.gte && k < hex(r.gte)) return false;
  if (r.gt && k <= hex(r.gt)) return false;
  if (r.lte && k > hex(r.lte)) return false;
  if (r.lt && k >= hex(r.lt)) return false;
  return true;
}
