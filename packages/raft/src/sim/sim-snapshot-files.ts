import type { SnapshotFileWriter, SnapshotFiles } from '../storage/snapshot-files.js';
import type { Prng } from './prng.js';
import { NEVER, SimFsync, type FsyncScheduler } from './sim-fsync.js';

interface FileNode {
  /** What the process sees (page cache). */
  data: Buffer;
  /** What survives a crash: the data as of the last completed sync. */
  durable: Buffer;
}

interface DirNode {
  entries: Map<string, FileNode>;
  durableEntries: Map<string, FileNode>;
}

const fsError = (code: string, what: string) => Object.assign(new Error(`${code}: ${what}`), { code });

/**
 * A simulated snapshot directory (one level of subdirectories) for one server, with the
 * crash model POSIX promises and no more: a file's bytes reach disk when its sync completes;
 * a directory's entries (created, renamed, removed) when that directory's syncDir completes.
 * Files and directories are nodes, so a renamed directory keeps what of it was durable.
 * `crash()` keeps what is on disk, plus at random a prefix of a file's bytes appended since
 * its last sync (a torn write). Calls from before a crash never complete.
 */
export class SimSnapshotFiles {
  private root = new Map<string, DirNode>();
  private durableRoot = new Map<string, DirNode>();
  private epoch = 0;
  private readonly fsync: SimFsync;
  /** Bytes kept past a file's last sync at crashes (a test that the torn path ran). */
  tornBytesKept = 0;
  /** Directories the process had made that a crash lost (snapshots being written, not yet durable). */
  dirsLost = 0;

  constructor(
    sched: FsyncScheduler,
    private readonly rng: Prng,
    fsyncMs: readonly [number, number],
  ) {
    this.fsync = new SimFsync(sched, rng, fsyncMs);
  }

  /** The directory as the current process sees it. */
  view(): SnapshotFiles {
    const epoch = this.epoch;
    const alive = () => epoch === this.epoch;
    const live = <T>(fn: () => T): Promise<T> => {
      if (!alive()) return NEVER;
      try {
        return Promise.resolve(fn());
      } catch (err) {
        return Promise.reject(err as Error);
      }
    };
    const dirOf = (dir: string) => {
      const d = this.root.get(dir);
      if (!d) throw fsError('ENOENT', dir);
      return d;
    };
    const fileOf = (dir: string, name: string) => this.root.get(dir)?.entries.get(name);
    const writer = (file: FileNode): SnapshotFileWriter => ({
      append: (data) => live(() => void (file.data = Buffer.concat([file.data, data]))),
      sync: () => {
        const bytes = Buffer.from(file.data);
        return this.fsync.run(alive, () => (file.durable = bytes));
      },
      close: () => live(() => undefined),
    });
    return {
      ensureRoot: () => live(() => undefined),
      list: () => live(() => [...this.root.keys()]),
      makeDir: (dir) =>
        live(() => {
          if (this.root.has(dir)) throw fsError('EEXIST', dir);
          this.root.set(dir, { entries: new Map(), durableEntries: new Map() });
        }),
      create: (dir, name) =>
        live(() => {
          const d = dirOf(dir);
          if (d.entries.has(name)) throw fsError('EEXIST', `${dir}/${name}`);
          const file: FileNode = { data: Buffer.alloc(0), durable: Buffer.alloc(0) };
          d.entries.set(name, file);
          return writer(file);
        }),
      readFile: (dir, name) => live(() => fileOf(dir, name) && Buffer.from(fileOf(dir, name)!.data)),
      size: (dir, name) => live(() => fileOf(dir, name)?.data.length),
      readAt: (dir, name, position, length) =>
        live(() => {
          const f = fileOf(dir, name);
          return f && Buffer.from(f.data.subarray(position, position + length));
        }),
      rename: (from, to) =>
        live(() => {
          const d = dirOf(from);
          if (this.root.has(to)) throw fsError('EEXIST', to);
          this.root.delete(from);
          this.root.set(to, d);
        }),
      remove: (dir) => live(() => void this.root.delete(dir)),
      syncDir: (dir) => {
        if (dir === undefined) {
          const entries = new Map(this.root);
          return this.fsync.run(alive, () => (this.durableRoot = entries));
        }
        const d = this.root.get(dir);
        if (!d) return live(() => dirOf(dir) && undefined);
        const entries = new Map(d.entries);
        return this.fsync.run(alive, () => (d.durableEntries = entries));
      },
      path: (dir, name) => `sim-snapshots/${dir}${name === undefined ? '' : `/${name}`}`,
    };
  }

  /** Lose what is not on disk, except at random a prefix of a file's unsynced appended bytes. */
  crash(): void {
    this.epoch++;
    for (const [name, d] of this.root) if (this.durableRoot.get(name) !== d) this.dirsLost++;
    for (const d of this.durableRoot.values()) {
      for (const f of d.durableEntries.values()) {
        let kept = f.durable;
        const extra = f.data.length - f.durable.length;
        if (extra > 0 && f.data.subarray(0, f.durable.length).equals(f.durable) && this.rng.chance(0.5)) {
          const n = this.rng.int(1, extra);
          kept = Buffer.from(f.data.subarray(0, f.durable.length + n));
          this.tornBytesKept += n;
        }
        f.data = kept;
        f.durable = kept;
      }
      d.entries = new Map(d.durableEntries);
    }
    this.root = new Map(this.durableRoot);
  }

  /** Lose everything. */
  wipe(): void {
    this.epoch++;
    this.root.clear();
    this.durableRoot.clear();
  }
}
