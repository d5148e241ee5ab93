import type { LogEntry } from '../core/messages.js';

/**
 * The durable raft log, as RaftNode needs it: one implementation per
 * `raft_logstore.backend` ("boltdb" = KvLogStore over the storage engine, "wal" =
 * WalLogStore's segment files).
 *
 * Ordering: every mutation (append, dropPrefix) takes effect, and completes, in the order
 * it was called; a later mutation's completion implies every earlier one is durable.
 * Mutations issued while a disk write is in flight are group-committed into the next
 * write, so N concurrent appends cost one fsync.
 *
 * Buffers: a mutation copies (encodes) the entries before it returns; the caller may keep,
 * share or drop them afterwards, and the store never mutates them.
 *
 * Failure: a failed disk write rejects its promise, every pending one and every later one;
 * the store is then unusable (raft stops: it cannot continue without its disk).
 *
 * Nothing here blocks the JS thread on disk I/O; only the returned promises wait.
 */
export interface RaftLogStore {
  /** "boltdb" or "wal": which `raft_logstore.backend` this is (stats, errors). */
  readonly backend: string;
  /**
   * Every stored entry, in index order and contiguous (the run ending at the last entry;
   * older entries cut off by an interrupted compaction are not returned). Entries below
   * `from` may be left out: the caller has them in a snapshot (a store that drops whole
   * segments keeps more than compaction asked for). Called once, before any mutation. May
   * read the whole log from disk.
   */
  loadAll(from?: number): Promise<LogEntry[]>;
  /**
   * Atomically remove every entry ≥ `truncateFrom` (when given) and append `entries`. They
   * normally continue the log (start at the last index + 1); otherwise they replace it from
   * their first index on, and a log that ends before that is emptied first (entries loadAll
   * returned but the caller discarded). Resolves when durable: a crash after that never
   * loses them.
   */
  append(entries: readonly LogEntry[], truncateFrom?: number): Promise<void>;
  /**
   * Drop entries ≤ `upto` (they are covered by a snapshot). `upto` ≥ the last index empties
   * the log, after which the next append may start at any index. Stores may keep some of
   * them (a segment only partly covered): loadAll can then return entries below the
   * snapshot, which RaftLog accepts.
   */
  dropPrefix(upto: number): Promise<void>;
  /** Resolves when every mutation issued so far is durable. */
  flushed(): Promise<void>;
  /** Waits for pending writes, then releases files; no mutation may follow. */
  close(): Promise<void>;
}

/** Tells a RaftLogStore from a plain KeyValueStore handed to RaftNode as `stores.log`. */
export function isRaftLogStore(x: object): x is RaftLogStore {
  return (
    typeof (x as Partial<RaftLogStore>).dropPrefix === 'function' && typeof (x as Partial<RaftLogStore>).loadAll === 'function'
  );
}
