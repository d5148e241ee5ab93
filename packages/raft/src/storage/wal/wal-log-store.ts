import type { LogEntry } from '../../core/messages.js';
import { RaftLogCorrupt } from '../../errors.js';
import type { RaftLogStore } from '../raft-log-store.js';
import { NodeWalFiles, type WalFile, type WalFiles } from './wal-files.js';
import { encodeRecord, scanSegment } from './wal-record.js';
import { GroupCommit } from '../group-commit.js';

const SEGMENT_NAME = /^([0-9]{20})\.wal$/;

function segmentName(base: number): string {
  return `${String(base).padStart(20, '0')}.wal`;
}

interface Segment {
  readonly base: number;
  readonly name: string;
  /** Start offset of each record; entry base + k starts at offsets[k]. */
  offsets: number[];
  size: number;
}

type Op =
  | { readonly type: 'append'; readonly first: number; readonly records: Buffer[]; readonly truncateFrom?: number }
  | { readonly type: 'drop'; readonly upto: number };

export interface WalOptions {
  /** Rotate to a new segment file once the current one reaches this size. */
  readonly segmentBytes: number;
  /** Called once when a write fails (the promises reject as well). */
  readonly onError?: (err: unknown) => void;
  /** Told when opening cut a torn or corrupt end off the last segment (a crash mid-write). */
  readonly onTailCut?: (file: string, reason: string, bytesCut: number) => void;
}

/**
 * The "wal" backend: the raft log as append-only segment files `<base index>.wal` in one
 * directory (0700; files 0600). Each entry is one record framed with its length and a
 * CRC-32. A group commit is one write() and one datasync() of the tail segment (on disk
 * one O_DSYNC write, see wal-files.ts); a new segment starts once the tail reaches `segmentBytes` (the old one is fsync'd first, and
 * the directory after a file is created or removed). Dropping a prefix deletes whole
 * segments; a suffix truncation cuts the tail segment durably before anything new is
 * written after it. Opening scans every segment: a torn or corrupt end of the last one
 * (a crash mid-write: never acknowledged) is cut; damage anywhere before is an error.
 */
export class WalLogStore implements RaftLogStore {
  readonly backend = 'wal';
  private segments: Segment[] = [];
  /** Open handle of the last segment, where appends go. */
  private tail: WalFile | undefined;
  private loaded: LogEntry[] | undefined;
  private nextIndex = 0;
  private readonly commits: GroupCommit<Op>;
  private closed = false;

  private constructor(
    private readonly files: WalFiles,
    private readonly opts: WalOptions,
  ) {
    this.commits = new GroupCommit<Op>((ops) => this.runBatch(ops), opts.onError);
  }

  /** Open (creating) the log in `dir` (or `files`), recovering from a crash. Reads every segment. */
  static async open(dir: string | WalFiles, opts: WalOptions): Promise<WalLogStore> {
    const store = new WalLogStore(typeof dir === 'string' ? new NodeWalFiles(dir) : dir, opts);
    await store.recover();
    return store;
  }

  /** Names of the segment files in `dir` (none when it does not exist). */
  static async segmentFiles(dir: string | WalFiles): Promise<string[]> {
    const names = await (typeof dir === 'string' ? new NodeWalFiles(dir) : dir).list();
    return names.filter((n) => SEGMENT_NAME.test(n)).sort();
  }

  async loadAll(from = 0): Promise<LogEntry[]> {
    const all = this.loaded ?? [];
    this.loaded = undefined;
    // The first segment can reach far below the snapshot (up to segmentBytes of entries):
    // not kept in memory. Files stay until the next prefix drop covers them whole.
    const skip = all.length > 0 ? Math.min(all.length, Math.max(0, from - all[0]!.index)) : 0;
    return skip > 0 ? all.slice(skip) : all;
  }

  append(entries: readonly LogEntry[], truncateFrom?: number): Promise<void> {
    if (entries.length === 0 && truncateFrom === undefined) return this.flushed();
    const first = entries.length > 0 ? entries[0]!.index : 0;
    return this.submit({
      type: 'append',
      first,
      records: entries.map(encodeRecord),
      ...(truncateFrom !== undefined ? { truncateFrom } : {}),
    });
  }

  dropPrefix(upto: number): Promise<void> {
    return this.submit({ type: 'drop', upto });
  }

  flushed(): Promise<void> {
    return this.commits.flushed();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flushed().catch(() => {});
    this.closed = true;
    await this.tail?.close().catch(() => {});
    this.tail = undefined;
  }

  // ---- group commit ------------------------------------------------------------------

  private submit(op: Op): Promise<void> {
    if (this.commits.failure !== undefined) return Promise.reject(this.commits.failure);
    if (this.closed) return Promise.reject(new Error('raft log is closed'));
    return this.commits.submit([op]);
  }

  // ---- disk --------------------------------------------------------------------------

  private lastIndex(): number {
    return this.nextIndex - 1;
  }

  private async runBatch(ops: readonly Op[]): Promise<void> {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let dirty = false;
    const flushPending = async () => {
      if (pending.length === 0) return;
      const seg = this.segments[this.segments.length - 1]!;
      const buf = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
      await this.tail!.write(buf, seg.size);
      seg.size += buf.length;
      pending = [];
      pendingBytes = 0;
      dirty = true;
    };
    const syncTail = async () => {
      await flushPending();
      if (dirty) await this.tail!.datasync();
      dirty = false;
    };
    for (const op of ops) {
      if (op.type === 'drop') {
        await syncTail();
        await this.dropUpTo(op.upto);
        continue;
      }
      if (op.truncateFrom !== undefined && op.truncateFrom <= this.lastIndex()) {
        await syncTail();
        await this.truncateFrom(op.truncateFrom);
      }
      // Entries replace the log from their first index on, as puts do in the KV backend: a
      // stored suffix the caller discarded at load (it did not connect to the snapshot) is
      // cut, and a log that ends short of them is emptied first.
      if (op.records.length > 0 && this.segments.length > 0 && op.first !== this.nextIndex) {
        await syncTail();
        if (op.first < this.nextIndex) await this.truncateFrom(op.first);
        else await this.dropUpTo(this.lastIndex());
      }
      let index = op.first;
      for (const rec of op.records) {
        let seg = this.segments[this.segments.length - 1];
        if (seg && index !== this.nextIndex) throw new Error(`raft log append at ${index} does not follow ${this.lastIndex()}`);
        if (!seg || (seg.offsets.length > 0 && seg.size + pendingBytes >= this.opts.segmentBytes)) {
          await syncTail();
          seg = await this.startSegment(index);
        }
        seg.offsets.push(seg.size + pendingBytes);
        pending.push(rec);
        pendingBytes += rec.length;
        this.nextIndex = ++index;
      }
    }
    await syncTail();
  }

  /** Close the tail and start a new, empty segment whose first entry will be `base`. */
  private async startSegment(base: number): Promise<Segment> {
    await this.tail?.close();
    this.tail = undefined;
    const seg: Segment = { base, name: segmentName(base), offsets: [], size: 0 };
    this.tail = await this.files.create(seg.name);
    this.segments.push(seg);
    // The new file's directory entry must be durable before entries in it are acknowledged.
    await this.syncDir();
    this.nextIndex = base;
    return seg;
  }

  /** Remove entries ≥ index, durably, before anything is written after them. */
  private async truncateFrom(index: number): Promise<void> {
    const doomed = this.segments.filter((s) => s.base >= index);
    if (doomed.length > 0) {
      await this.tail?.close();
      this.tail = undefined;
      // Newest first: a crash part-way leaves a shorter, still contiguous log.
      for (const s of doomed.reverse()) await this.files.unlink(s.name);
      this.segments = this.segments.filter((s) => s.base < index);
      await this.syncDir();
    }
    const seg = this.segments[this.segments.length - 1];
    if (!seg) {
      this.nextIndex = 0;
      return;
    }
    if (!this.tail) this.tail = await this.files.openExisting(seg.name);
    const keep = index - seg.base;
    if (keep < seg.offsets.length) {
      seg.size = seg.offsets[keep]!;
      seg.offsets.length = keep;
      await this.tail.truncate(seg.size);
      await this.tail.datasync();
    }
    this.nextIndex = seg.base + seg.offsets.length;
  }

  /** Delete every segment wholly ≤ upto; all of them (the log empties) when upto ≥ the last index. */
  private async dropUpTo(upto: number): Promise<void> {
    const everything = upto >= this.lastIndex();
    const doomed = everything ? this.segments : this.segments.slice(0, -1).filter((s) => s.base + s.offsets.length - 1 <= upto);
    if (doomed.length === 0) return;
    if (everything) {
      await this.tail?.close();
      this.tail = undefined;
      this.nextIndex = 0;
    }
    // Newest first when emptying (a crash leaves a prefix, which a snapshot covers); oldest
    // first otherwise (a crash leaves a contiguous suffix).
    for (const s of everything ? [...doomed].reverse() : doomed) await this.files.unlink(s.name);
    const gone = new Set(doomed);
    this.segments = this.segments.filter((s) => !gone.has(s));
    await this.syncDir();
  }

  private syncDir(): Promise<void> {
    return this.files.syncDir();
  }

  // ---- recovery ----------------------------------------------------------------------

  private async recover(): Promise<void> {
    await this.files.ensureDir();
    const names = await WalLogStore.segmentFiles(this.files);
    const found: { seg: Segment; entries: LogEntry[] }[] = [];
    let term = 0;
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const base = Number(SEGMENT_NAME.exec(name)![1]);
      const buf = await this.files.read(name);
      // A segment after a gap starts a new run (an interrupted compaction or reset left the
      // older files): terms are only compared within a run.
      const prev = found[found.length - 1];
      const continues = prev !== undefined && prev.seg.base + prev.seg.offsets.length === base;
      const scan = scanSegment(buf, base, continues ? term : 0);
      if (scan.problem !== undefined) {
        if (i < names.length - 1 || scan.validAfterProblem) throw RaftLogCorrupt(this.files.path(name), scan.problem);
        // The end of the last segment was being written when the process died: never acknowledged.
        const fh = await this.files.openExisting(name);
        try {
          await fh.truncate(scan.validEnd);
          await fh.datasync();
        } finally {
          await fh.close();
        }
        this.opts.onTailCut?.(this.files.path(name), scan.problem, buf.length - scan.validEnd);
      }
      if (!continues) found.length = 0;
      found.push({ seg: { base, name, offsets: scan.offsets, size: scan.validEnd }, entries: scan.entries });
      if (scan.entries.length > 0) term = scan.entries[scan.entries.length - 1]!.term;
    }
    // Files not in the final run, and an empty last segment (created, then the crash), go.
    const keep = new Set(found.filter((f, i) => f.entries.length > 0 || i < found.length - 1).map((f) => f.seg.name));
    let removed = false;
    for (const name of names) {
      if (!keep.has(name)) {
        await this.files.unlink(name);
        removed = true;
      }
    }
    if (removed) await this.syncDir();
    const run = found.filter((f) => keep.has(f.seg.name));
    this.segments = run.map((f) => f.seg);
    this.loaded = run.flatMap((f) => f.entries);
    const last = this.segments[this.segments.length - 1];
    if (last) {
      this.tail = await this.files.openExisting(last.name);
      this.nextIndex = last.base + last.offsets.length;
    }
  }
}
