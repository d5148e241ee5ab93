import type { ConfigurationData, LogEntry } from './messages.js';
import { EMPTY_CONFIGURATION } from './configuration.js';

/**
 * The in-memory view of the raft log: entries [firstIndex, lastIndex] plus the snapshot
 * point (snapshotIndex/Term/Config) that replaces everything before it. Retention is
 * bounded by count (snapshotThreshold + trailingLogs) and by the bytes of the commands
 * (snapshotLogBytes + trailingLogBytes: big values would otherwise keep gigabytes), so
 * keeping it in memory is cheap and every read is synchronous. Durability is
 * log-store.ts's job; this class never does I/O.
 * Invariants: firstIndex <= snapshotIndex + 1 and lastIndex >= snapshotIndex.
 */
export class RaftLog {
  private entries: LogEntry[] = [];
  /**
   * cum[i]: command bytes of every entry ever held up to entries[i], and cumBase the same
   * just before entries[0]; differences give any range's bytes in O(1).
   */
  private cum: number[] = [];
  private cumBase = 0;
  private first = 1;
  snapshotIndex = 0;
  snapshotTerm = 0;
  snapshotConfig: ConfigurationData = EMPTY_CONFIGURATION;

  /** Rebuild from persisted state; `stored` must be contiguous and sorted. */
  static restore(snapshot: { index: number; term: number; config: ConfigurationData } | undefined, stored: LogEntry[]): RaftLog {
    const log = new RaftLog();
    if (snapshot) {
      log.snapshotIndex = snapshot.index;
      log.snapshotTerm = snapshot.term;
      log.snapshotConfig = snapshot.config;
    }
    // Entries may reach below the snapshot (trailing logs) but must connect to it.
    const usable = stored.length > 0 && stored[0]!.index <= log.snapshotIndex + 1 ? stored : [];
    log.first = usable.length > 0 ? usable[0]!.index : log.snapshotIndex + 1;
    log.entries = usable.slice();
    if (log.lastIndex() < log.snapshotIndex) {
      log.entries = [];
      log.first = log.snapshotIndex + 1;
    }
    log.rebuildCum();
    return log;
  }

  firstIndex(): number {
    return this.first;
  }

  lastIndex(): number {
    return this.first + this.entries.length - 1;
  }

  lastTerm(): number {
    return this.termAt(this.lastIndex()) ?? 0;
  }

  /** Term of the entry at `index`, or undefined when compacted away or beyond the end. */
  termAt(index: number): number | undefined {
    if (index === 0) return 0;
    if (index >= this.first && index <= this.lastIndex()) return this.entries[index - this.first]!.term;
    if (index === this.snapshotIndex) return this.snapshotTerm;
    return undefined;
  }

  entry(index: number): LogEntry | undefined {
    return index >= this.first ? this.entries[index - this.first] : undefined;
  }

  /** Entries in [from, to], clamped to what is held. */
  slice(from: number, to: number): LogEntry[] {
    const lo = Math.max(from, this.first) - this.first;
    const hi = Math.min(to, this.lastIndex()) - this.first + 1;
    return hi > lo ? this.entries.slice(lo, hi) : [];
  }

  append(entries: readonly LogEntry[]): void {
    for (const e of entries) {
      if (e.index !== this.lastIndex() + 1) throw new Error(`raft log: append ${e.index} after ${this.lastIndex()}`);
      this.entries.push(e);
      this.cum.push((this.cum.length ? this.cum[this.cum.length - 1]! : this.cumBase) + (e.data?.byteLength ?? 0));
    }
  }

  /** Command bytes of the entries in [from, to], clamped to what is held. */
  dataBytes(from: number, to: number): number {
    const lo = Math.max(from, this.first) - this.first;
    const hi = Math.min(to, this.lastIndex()) - this.first;
    if (hi < lo) return 0;
    return this.cum[hi]! - (lo > 0 ? this.cum[lo - 1]! : this.cumBase);
  }

  /**
   * Where the entries kept behind a snapshot at `index` start: at most `maxEntries` of
   * them (the entry at `index` is one) holding at most `maxBytes` of commands. The result
   * is `index + 1` when nothing may be kept.
   */
  trailingStart(index: number, maxEntries: number, maxBytes: number): number {
    let lo = Math.max(this.first, index - maxEntries + 1);
    let hi = index + 1;
    // The smallest start in [lo, hi] whose range up to `index` fits maxBytes (bytes shrink as start grows).
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.dataBytes(mid, index) <= maxBytes) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private rebuildCum(): void {
    let total = 0;
    this.cumBase = 0;
    this.cum = this.entries.map((e) => (total += e.data?.byteLength ?? 0));
  }

  /** Drop entries >= index (a conflicting suffix). Never below the snapshot: that is committed. */
  truncateFrom(index: number): void {
    if (index <= this.snapshotIndex) throw new Error(`raft log: truncate ${index} at or below snapshot ${this.snapshotIndex}`);
    if (index > this.lastIndex()) return;
    this.entries.length = index - this.first;
    this.cum.length = this.entries.length;
  }

  /** Drop entries <= index (they are covered by the snapshot). */
  compactTo(index: number): void {
    const upto = Math.min(index, this.snapshotIndex);
    if (upto < this.first) return;
    const dropped = upto - this.first + 1;
    this.entries = this.entries.slice(dropped);
    this.cumBase = this.cum[dropped - 1]!;
    this.cum = this.cum.slice(dropped);
    this.first = upto + 1;
  }

  /**
   * Record a snapshot. When the log holds the snapshot's last entry with the same term the
   * suffix after it is kept (it may be uncommitted but consistent); otherwise the whole log
   * is discarded, as the thesis prescribes. Returns true when the log was discarded.
   */
  setSnapshot(index: number, term: number, config: ConfigurationData): boolean {
    if (index <= this.snapshotIndex) return false;
    const keep = this.termAt(index) === term;
    this.snapshotIndex = index;
    this.snapshotTerm = term;
    this.snapshotConfig = config;
    if (keep) return false;
    this.entries = [];
    this.cum = [];
    this.cumBase = 0;
    this.first = index + 1;
    return true;
  }

  /** The latest configuration: the last 'conf' entry held, else the snapshot's. */
  latestConfig(): { config: ConfigurationData; index: number } {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i]!;
      if (e.kind === 'conf' && e.config && e.index > this.snapshotIndex) return { config: e.config, index: e.index };
    }
    return { config: this.snapshotConfig, index: this.snapshotIndex };
  }

  /** First index at or after `floor` whose entry has `term`, scanning back from `from` (conflict hints). */
  firstIndexOfTerm(term: number, from: number, floor: number): number {
    let i = from;
    while (i - 1 >= Math.max(floor, this.first) && this.termAt(i - 1) === term) i--;
    return i;
  }
}
