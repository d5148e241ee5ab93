import { constants } from 'node:fs';
import { mkdir, open, readdir, readFile, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Segments are opened O_DSYNC where the platform has it: each write then returns once its
 * bytes (and the file size) are durable, one thread-pool job per group commit instead of a
 * write and an fdatasync — measured ~25% less CPU per commit on Linux, same latency.
 */
const DSYNC = (constants as { O_DSYNC?: number }).O_DSYNC ?? 0;

/** An open segment file. Every method may block on disk I/O (through the returned promise). */
export interface WalFile {
  /** Write all of `buf` at `position` (not durable until datasync). */
  write(buf: Buffer, position: number): Promise<void>;
  /** Make every completed write and truncate of this file durable. */
  datasync(): Promise<void>;
  truncate(size: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The one directory WalLogStore keeps its segments in: the real file system here, a
 * simulated disk that loses unsynced data in the raft simulation. Creating and removing a
 * file is durable only after syncDir().
 */
export interface WalFiles {
  /** Create the directory (0700) if it is missing. */
  ensureDir(): Promise<void>;
  /** File names in the directory; none when it does not exist. */
  list(): Promise<string[]>;
  read(name: string): Promise<Buffer>;
  /** Create (or empty) `name`, 0600. */
  create(name: string): Promise<WalFile>;
  openExisting(name: string): Promise<WalFile>;
  unlink(name: string): Promise<void>;
  syncDir(): Promise<void>;
  /** Where `name` is, for messages. */
  path(name: string): string;
}

class NodeWalFile implements WalFile {
  /** Set by a truncate (O_DSYNC covers writes only), or always without O_DSYNC. */
  private unsynced = false;
  constructor(private readonly fh: FileHandle) {}
  async write(buf: Buffer, position: number): Promise<void> {
    if (DSYNC === 0) this.unsynced = true;
    let written = 0;
    while (written < buf.length) {
      const { bytesWritten } = await this.fh.write(buf, written, buf.length - written, position + written);
      written += bytesWritten;
    }
  }
  async datasync(): Promise<void> {
    if (!this.unsynced) return;
    this.unsynced = false;
    await this.fh.datasync();
  }
  truncate(size: number): Promise<void> {
    this.unsynced = true;
    return this.fh.truncate(size);
  }
  close(): Promise<void> {
    return this.fh.close();
  }
}

/** Segment files in a directory of the real file system. */
export class NodeWalFiles implements WalFiles {
  constructor(readonly dir: string) {}
  async ensureDir(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
  }
  list(): Promise<string[]> {
    return readdir(this.dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [];
      throw err;
    });
  }
  read(name: string): Promise<Buffer> {
    return readFile(this.path(name));
  }
  async create(name: string): Promise<WalFile> {
    const flags = constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC | DSYNC;
    return new NodeWalFile(await open(this.path(name), flags, 0o600));
  }
  async openExisting(name: string): Promise<WalFile> {
    return new NodeWalFile(await open(this.path(name), constants.O_RDWR | DSYNC));
  }
  unlink(name: string): Promise<void> {
    return unlink(this.path(name));
  }
  async syncDir(): Promise<void> {
    const d = await open(this.dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  }
  path(name: string): string {
    return join(this.dir, name);
  }
}
