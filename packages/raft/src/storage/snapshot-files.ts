import { mkdir, open, readdir, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/** A file being written: appended to in order, durable once sync() resolved. */
export interface SnapshotFileWriter {
  /** Append all of `data`; the caller keeps ownership (it is copied or written before this resolves). */
  append(data: Uint8Array): Promise<void>;
  /** Make every appended byte durable. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The one directory FileSnapshotStore keeps its snapshots in, one level of subdirectories
 * deep: the real file system here, a simulated disk that loses what was not synced in the
 * raft simulation. Durability follows POSIX: a file's bytes after its sync(), a new or
 * renamed or removed entry after its directory's syncDir() (`dir` undefined: the root).
 * Every method may block on disk I/O (through its promise); none on the JS thread.
 */
export interface SnapshotFiles {
  /** Create the root (0700) if it is missing. */
  ensureRoot(): Promise<void>;
  /** Names of the entries of the root. */
  list(): Promise<string[]>;
  /** Create subdirectory `dir` (0700); fails if it exists. */
  makeDir(dir: string): Promise<void>;
  /** Create `dir/name` (0600) for writing; fails if it exists. */
  create(dir: string, name: string): Promise<SnapshotFileWriter>;
  /** The whole of `dir/name`, or undefined when there is no such file. */
  readFile(dir: string, name: string): Promise<Buffer | undefined>;
  /** Size of `dir/name`, or undefined when there is no such file. */
  size(dir: string, name: string): Promise<number | undefined>;
  /** Up to `length` bytes of `dir/name` from `position` (fewer at its end), or undefined when there is no such file. */
  readAt(dir: string, name: string, position: number, length: number): Promise<Buffer | undefined>;
  rename(from: string, to: string): Promise<void>;
  /** Remove subdirectory `dir` and what is in it; nothing when it does not exist. */
  remove(dir: string): Promise<void>;
  syncDir(dir?: string): Promise<void>;
  /** Where `dir` (or `dir/name`) is, for messages. */
  path(dir: string, name?: string): string;
}

const missing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

class NodeSnapshotFileWriter implements SnapshotFileWriter {
  constructor(private readonly fh: FileHandle) {}
  async append(data: Uint8Array): Promise<void> {
    let off = 0;
    while (off < data.byteLength) off += (await this.fh.write(data, off, data.byteLength - off)).bytesWritten;
  }
  sync(): Promise<void> {
    return this.fh.sync();
  }
  close(): Promise<void> {
    return this.fh.close();
  }
}

/** Snapshot directories under `root` on the real file system. */
export class NodeSnapshotFiles implements SnapshotFiles {
  constructor(readonly root: string) {}
  async ensureRoot(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
  }
  list(): Promise<string[]> {
    return readdir(this.root);
  }
  async makeDir(dir: string): Promise<void> {
    await mkdir(this.path(dir), { mode: 0o700 });
  }
  async create(dir: string, name: string): Promise<SnapshotFileWriter> {
    return new NodeSnapshotFileWriter(await open(this.path(dir, name), 'wx', 0o600));
  }
  readFile(dir: string, name: string): Promise<Buffer | undefined> {
    return readFile(this.path(dir, name)).catch((err: unknown) => {
      if (missing(err)) return undefined;
      throw err;
    });
  }
  size(dir: string, name: string): Promise<number | undefined> {
    return stat(this.path(dir, name)).then(
      (s) => s.size,
      (err: unknown) => {
        if (missing(err)) return undefined;
        throw err;
      },
    );
  }
  async readAt(dir: string, name: string, position: number, length: number): Promise<Buffer | undefined> {
    let fh: FileHandle;
    try {
      fh = await open(this.path(dir, name), 'r');
    } catch (err) {
      if (missing(err)) return undefined;
      throw err;
    }
    try {
      const buf = Buffer.allocUnsafe(length);
      let got = 0;
      while (got < length) {
        const { bytesRead } = await fh.read(buf, got, length - got, position + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got === length ? buf : buf.subarray(0, got);
    } finally {
      await fh.close();
    }
  }
  rename(from: string, to: string): Promise<void> {
    return rename(this.path(from), this.path(to));
  }
  remove(dir: string): Promise<void> {
    return rm(this.path(dir), { recursive: true, force: true });
  }
  async syncDir(dir?: string): Promise<void> {
    const d = await open(dir === undefined ? this.root : this.path(dir), 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  }
  path(dir: string, name?: string): string {
    return name === undefined ? join(this.root, dir) : join(this.root, dir, name);
  }
}
