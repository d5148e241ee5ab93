import type { KeyValueStore, WriteOp } from '@proconsul/kernel';
import type { LogEntry } from '../core/messages.js';
import { decode, encode, indexKey } from './codec.js';
import { WriteBatcher } from './write-batcher.js';

const ENTRY = 0x65; // 'e'

interface StoredEntry {
  t: number;
  k: LogEntry['kind'];
  d?: Uint8Array;
  c?: LogEntry['config'];
}

/**
 * Durable raft log over a KeyValueStore opened as "raft-log": one key per entry
 * (prefix + big-endian index). Every write is fsync'd and group-committed; a change
 * (truncate a suffix, append) is one atomic batch so a crash never leaves a gap.
 */
export class LogStore {
  private readonly batcher: WriteBatcher;

  constructor(
    private readonly kv: KeyValueStore,
    onError: (err: unknown) => void,
  ) {
    this.batcher = new WriteBatcher(kv, onError);
  }

  /** Every stored entry in index order; used once at startup. */
  async loadAll(): Promise<LogEntry[]> {
    const out: LogEntry[] = [];
    for await (const [key, value] of this.kv.iterate({ prefix: Uint8Array.of(ENTRY) })) {
      const s = decode<StoredEntry>(value);
      const index = Number(new DataView(key.buffer, key.byteOffset + 1, 8).getBigUint64(0));
      out.push({ index, term: s.t, kind: s.k, ...(s.d ? { data: s.d } : {}), ...(s.c ? { config: s.c } : {}) });
    }
    // Keep only the contiguous run ending at the last entry: a hole can only come from an
    // interrupted compaction, and entries before it are covered by the snapshot.
    let start = out.length - 1;
    while (start > 0 && out[start - 1]!.index === out[start]!.index - 1) start--;
    return start > 0 ? out.slice(start) : out;
  }

  /**
   * Delete [deleteFrom, deleteTo] (if given) and put `entries`, atomically and durably.
   * Resolves when durable.
   */
  write(entries: readonly LogEntry[], deleteFrom?: number, deleteTo?: number): Promise<void> {
    const ops: WriteOp[] = [];
    if (deleteFrom !== undefined && deleteTo !== undefined) {
      for (let i = deleteFrom; i <= deleteTo; i++) ops.push({ type: 'del', key: indexKey(ENTRY, i) });
    }
    for (const e of entries) {
      const s: StoredEntry = { t: e.term, k: e.kind };
      if (e.data) s.d = e.data;
      if (e.config) s.c = e.config;
      ops.push({ type: 'put', key: indexKey(ENTRY, e.index), value: encode(s) });
    }
    return ops.length ? this.batcher.write(ops) : this.batcher.flushed();
  }

  flushed(): Promise<void> {
    return this.batcher.flushed();
  }
}
