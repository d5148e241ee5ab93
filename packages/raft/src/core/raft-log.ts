import type { ConfigurationData, LogEntry } from './messages.js';
import { EMPTY_CONFIGURATION } from './configuration.js';

/**
 * The in-memory view of the raft log: entries [firstIndex, lastIndex] plus the snapshot
 * point (snapshotIndex/Term/Config) that replaces everything before it. Retention is
 * bounded by snapshotThreshold + trailingLogs, so keeping it in memory is cheap and every
 * read is synchronous. Durability is log-store.ts's job; this class never does I/O.
 * Invariants: firstIndex <= snapshotIndex + 1 and lastIndex >= snapshotIndex.
 */
export class RaftLog {
  private entries: LogEntry[] = [];
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
    }
  }

  /** Drop entries >= index (a conflicting suffix). Never below the snapshot: that is committed. */
  truncateFrom(index: number): void {
    if (index <= this.snapshotIndex) throw new Error(`raft log: truncate ${index} at or below snapshot ${this.snapshotIndex}`);
    if (index > this.lastIndex()) return;
    this.entries.length = index - this.first;
  }

  /** Drop entries <= index (they are covered by the snapshot). */
  compactTo(index: number): void {
    const upto = Math.min(index, this.snapshotIndex);
    if (upto < this.first) return;
    this.entries = this.entries.slice(upto - this.first + 1);
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
