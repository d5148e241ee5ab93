import type { KeyValueStore, WriteOp } from '@proconsul/kernel';
import type { LogEntry } from '../core/messages.js';
import { decode, encode, indexKey } from './codec.js';
import type { RaftLogStore } from './raft-log-store.js';
import { WriteBatcher } from './write-batcher.js';

const ENTRY = 0x65; // 'e'

interface StoredEntry {
  t: number;
  k: LogEntry['kind'];
  d?: Uint8Array;
  c?: LogEntry['config'];
}

/**
 * The "boltdb" backend: the raft log in a KeyValueStore opened as "raft-log", one key per
 * entry (prefix + big-endian index). Every change is one atomic, fsync'd batch
 * (group-committed by WriteBatcher), so a crash never leaves a gap.
 */
export class KvLogStore implements RaftLogStore {
  readonly backend = 'boltdb';
  private readonly batcher: WriteBatcher;
  /** The stored range; empty when last < first. */
  private first = 1;
  private last = 0;

  constructor(
    private readonly kv: KeyValueStore,
    /** Called once when a write fails; the promises reject as well. */
    onError: (err: unknown) => void = () => {},
  ) {
    this.batcher = new WriteBatcher(kv, onError);
  }

  /** Does `kv` hold raft log entries (a server that ran with this backend)? */
  static async hasEntries(kv: KeyValueStore): Promise<boolean> {
    for await (const _ of kv.iterate({ prefix: Uint8Array.of(ENTRY) })) return true;
    return false;
  }

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
    const run = start > 0 ? out.slice(start) : out;
    if (run.length > 0) {
      this.first = run[0]!.index;
      this.last = run[run.length - 1]!.index;
    }
    return run;
  }

  append(entries: readonly LogEntry[], truncateFrom?: number): Promise<void> {
    const ops: WriteOp[] = [];
    let cut = truncateFrom;
    // Entries replace the log from their first index on; a log ending short of them is
    // emptied (its entries were discarded by the caller at load).
    if (entries.length > 0 && this.last >= this.first) {
      const at = entries[0]!.index;
      if (at > this.last + 1) cut = this.first;
      else if (at <= this.last) cut = Math.min(cut ?? at, at);
    }
    if (cut !== undefined && cut <= this.last) {
      for (let i = Math.max(cut, this.first); i <= this.last; i++) ops.push({ type: 'del', key: indexKey(ENTRY, i) });
      this.last = cut - 1;
    }
    for (const e of entries) {
      const s: StoredEntry = { t: e.term, k: e.kind };
      if (e.data) s.d = e.data;
      if (e.config) s.c = e.config;
      ops.push({ type: 'put', key: indexKey(ENTRY, e.index), value: encode(s) });
    }
    if (entries.length > 0) {
      if (this.last < this.first) this.first = entries[0]!.index;
      this.last = entries[entries.length - 1]!.index;
    }
    return ops.length ? this.batcher.write(ops) : this.batcher.flushed();
  }

  /**
   * One range delete, not one delete per entry: behind every snapshot this drops
   * snapshot_threshold entries (16k by default), and building and handing the engine 16k ops
   * held the JS thread for tens of milliseconds (session 11's probe). The range goes through
   * the batcher like any write, so it stays ordered with the appends around it: an entry
   * appended after this call (at any index, once the log is emptied) is written after the
   * range is deleted. A crash part-way leaves the range deleted from its low end up (see
   * WriteOp), so what remains is still one contiguous run, which loadAll returns.
   */
  dropPrefix(upto: number): Promise<void> {
    const to = Math.min(upto, this.last);
    const from = this.first;
    if (upto >= this.last) {
      this.first = 1;
      this.last = 0;
    } else if (to >= this.first) {
      this.first = to + 1;
    }
    if (to < from) return this.batcher.flushed();
    return this.batcher.write([{ type: 'delRange', key: indexKey(ENTRY, from), end: indexKey(ENTRY, to + 1) }]);
  }

  flushed(): Promise<void> {
    return this.batcher.flushed();
  }

  /** The KeyValueStore belongs to whoever opened it; this only waits for pending writes. */
  async close(): Promise<void> {
    await this.batcher.flushed().catch(() => {});
  }
}
