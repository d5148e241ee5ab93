/**
 * Storage engines persist what must survive a crash: the Raft log, Raft's stable
 * store (term, vote) and FSM snapshots. The state store itself lives in memory
 * (see ../state), like Consul's go-memdb, so reads never touch disk.
 *
 * An engine plugin binds {@link StorageEngine}; consumers call `open(name)` once per
 * role ("raft-log", "raft-stable", "snapshots", …) and get an independent ordered
 * key/value store.
 */
export const StorageEngine = Symbol.for('proconsul.StorageEngine');

export interface StorageEngine {
  /** Engine identifier as named in plugins.json, e.g. "rocksdb" or "memory". */
  readonly kind: string;
  /** True when acknowledged durable writes survive a process crash. */
  readonly durable: boolean;
  /**
   * Open (creating if missing) the store called `name`. Stores of one engine are
   * independent keyspaces. May block on disk I/O and on acquiring the data_dir lock.
   * Opening the same name twice in one process rejects with STORAGE_LOCKED.
   */
  open(name: string): Promise<KeyValueStore>;
}

/**
 * One put or delete inside a batch. Keys and values are owned by the store once passed in:
 * callers must not mutate them afterwards.
 *
 * `delRange` removes every key k with `key` <= k < `end` (memcmp order; nothing when `end`
 * <= `key`) without the caller listing them: an engine may do the work off the JS thread
 * (the raft log drops thousands of entries behind each snapshot). It is the one op that is
 * not atomic with the rest of its batch: the ops before it take effect before it, the ops
 * after it after it, and it deletes in ascending key order, possibly in several steps, so a
 * crash may leave any ascending prefix of the range deleted (and the ops after it not
 * applied). Use it only where that is safe to recover from.
 */
export type WriteOp =
  | { readonly type: 'put'; readonly key: Uint8Array; readonly value: Uint8Array }
  | { readonly type: 'del'; readonly key: Uint8Array }
  | { readonly type: 'delRange'; readonly key: Uint8Array; readonly end: Uint8Array };

export interface WriteOptions {
  /** When true the promise resolves only after the batch is fsync'd. */
  readonly durable: boolean;
}

/** Bounds for iteration; keys compare as unsigned bytes (memcmp order). */
export interface RangeOptions {
  readonly gte?: Uint8Array;
  readonly gt?: Uint8Array;
  readonly lte?: Uint8Array;
  readonly lt?: Uint8Array;
  /** Shorthand for [prefix, prefix+1); combined with the other bounds by intersection. */
  readonly prefix?: Uint8Array;
  readonly reverse?: boolean;
  readonly limit?: number;
}

export type Entry = readonly [key: Uint8Array, value: Uint8Array];

/** Reads; implemented by a store and by its snapshots. */
export interface KeyValueReader {
  /** Value for key, or undefined. Returned buffers belong to the caller. May block on disk I/O. */
  get(key: Uint8Array): Promise<Uint8Array | undefined>;
  /**
   * Entries in key order (or reverse). The iterator sees one consistent version of the
   * store: writes that complete after iteration began are not visible. Breaking out of
   * the loop releases engine resources.
   */
  iterate(range?: RangeOptions): AsyncIterable<Entry>;
}

export interface KeyValueStore extends KeyValueReader {
  /**
   * Apply every op atomically (except `delRange`, see WriteOp): after a crash either all are visible or none. Batches
   * from concurrent callers are serialised in call order. With `durable` the promise
   * resolves after fsync, and every write to this store issued before it is durable too
   * (a WAL's prefix order): raft's snapshot store writes its chunks unsynced and relies on
   * the durable meta write after them. Disk work happens off the JS thread.
   */
  write(ops: readonly WriteOp[], options: WriteOptions): Promise<void>;
  /** A consistent read view as of now; release it when done (it pins engine resources). */
  snapshot(): Promise<StoreSnapshot>;
  /** Waits for in-flight writes, then releases files and locks. Further calls reject with STORAGE_CLOSED. */
  close(): Promise<void>;
}

export interface StoreSnapshot extends KeyValueReader {
  release(): Promise<void>;
}
