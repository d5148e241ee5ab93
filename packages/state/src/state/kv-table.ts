import { compareStrings, SortedMap } from '@proconsul/collections';
import type { KvRow } from './kv-row.js';
import { key2, scanPrefix, SEP } from './table-keys.js';

/**
 * KV entries (as compact {@link KvRow}s: readers materialise DirEntry), their tombstones (key -> index of the delete, so a `recurse` read over a
 * prefix whose newest key was deleted still sees the index move), lock-delay expiries
 * (key -> leader ms) and which keys each session holds.
 */
export class KvTable {
  constructor(
    readonly entries = new SortedMap<string, KvRow>(compareStrings),
    readonly tombstones = new SortedMap<string, number>(compareStrings),
    readonly lockDelays = new SortedMap<string, number>(compareStrings),
    /** session\0key */
    readonly locksBySession = new SortedMap<string, true>(compareStrings),
  ) {}

  clone(): KvTable {
    return new KvTable(this.entries.clone(), this.tombstones.clone(), this.lockDelays.clone(), this.locksBySession.clone());
  }

  get(key: string): KvRow | undefined {
    return this.entries.get(key);
  }

  put(entry: KvRow): void {
    const old = this.entries.get(entry.Key);
    if (old?.Session && old.Session !== entry.Session) this.locksBySession.delete(key2(old.Session, entry.Key));
    this.entries.set(entry.Key, entry);
    if (entry.Session) this.locksBySession.set(key2(entry.Session, entry.Key), true);
  }

  remove(key: string): KvRow | undefined {
    const old = this.entries.get(key);
    if (!old) return undefined;
    if (old.Session) this.locksBySession.delete(key2(old.Session, key));
    this.entries.delete(key);
    return old;
  }

  /** Keys held by `session`, collected first so callers may modify the table while looping. */
  keysHeldBy(session: string): string[] {
    const out: string[] = [];
    for (const [k] of scanPrefix(this.locksBySession, session + SEP)) out.push(k.slice(session.length + 1));
    return out;
  }

  /** Highest ModifyIndex under `prefix` counting tombstones; 0 when nothing is there. */
  maxIndexUnder(prefix: string): number {
    let max = 0;
    for (const [, e] of scanPrefix(this.entries, prefix)) if (e.ModifyIndex > max) max = e.ModifyIndex;
    for (const [, idx] of scanPrefix(this.tombstones, prefix)) if (idx > max) max = idx;
    return max;
  }
}
