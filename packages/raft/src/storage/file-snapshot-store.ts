import { createHash, type Hash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConfigurationData } from '../core/messages.js';
import type { RaftSnapshotSink, RaftSnapshotStore, SnapshotMeta } from './raft-snapshot-store.js';

const META_FILE = 'meta.json';
const STATE_FILE = 'state.bin';
const TMP_SUFFIX = '.tmp';
/** Reads of a whole snapshot (restore, verification) go in pieces this big. */
const READ_BYTES = 1024 * 1024;

/** meta.json of one snapshot directory. */
interface FileMeta {
  readonly version: 1;
  readonly id: number;
  readonly index: number;
  readonly term: number;
  readonly config: ConfigurationData;
  /** Bytes of state.bin. */
  readonly size: number;
  /** Hex SHA-256 of state.bin: a torn or bit-rotten file is never restored. */
  readonly sha256: string;
}

interface Stored {
  readonly name: string;
  readonly meta: FileMeta;
}

export interface FileSnapshotStoreOptions {
  /** Size of the chunks readChunk serves (InstallSnapshot messages). */
  readonly chunkBytes: number;
  /** Committed snapshots kept on disk, the newest first (hashicorp/raft keeps 2). Default 2. */
  readonly retain?: number;
  /** A snapshot directory that cannot be used (unreadable, corrupt) or cleaned up. */
  readonly onWarn?: (message: string, fields: Record<string, unknown>) => void;
}

function isFileMeta(x: unknown): x is FileMeta {
  const m = x as Partial<FileMeta> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    m.version === 1 &&
    [m.id, m.index, m.term, m.size].every((n) => Number.isSafeInteger(n) && (n as number) >= 0) &&
    typeof m.sha256 === 'string' &&
    typeof m.config === 'object' &&
    m.config !== null
  );
}

async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

/** Reads `path` from the start in pieces; the caller owns each piece. */
async function* readPieces(path: string, pieceBytes: number): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r');
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(pieceBytes);
      const { bytesRead } = await fh.read(buf, 0, pieceBytes, null);
      if (bytesRead === 0) return;
      yield bytesRead === pieceBytes ? buf : buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

/**
 * Raft snapshots as files, the layout hashicorp/raft's FileSnapshotStore (and so Consul) has:
 * `<dir>/<term>-<index>-<unix ms>-<n>/` holding `state.bin` (the FSM's bytes) and `meta.json`
 * (`<n>` is the snapshot's id, so two made in the same millisecond differ).
 * A snapshot is written into `<name>.tmp/`; commit syncs both files, renames the directory
 * and syncs the parent, so a crash leaves either the whole snapshot or a `.tmp` directory
 * that the next open() deletes. The newest `retain` snapshots are kept; open() takes the
 * newest whose state.bin matches the size and SHA-256 in its meta.json, so one torn or
 * damaged file falls back to the snapshot before it instead of stopping the server.
 *
 * Unlike a storage engine's store, snapshot bytes never pass through RocksDB, so a snapshot
 * costs no memtable flush or compaction; writing is one sequential file, synced once.
 *
 * Files are 0600 and directories 0700: snapshots hold every KV value and ACL secret.
 */
export class FileSnapshotStore implements RaftSnapshotStore {
  private current: Stored | undefined;
  /** Every committed snapshot on disk that verified or was not looked at yet, newest first. */
  private kept: Stored[] = [];
  private nextId = 1;
  /** Commits run one at a time: the "newer than latest" check and the rename must not interleave. */
  private publishing: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private readonly chunkBytes: number,
    private readonly retain: number,
    private readonly warn: (message: string, fields: Record<string, unknown>) => void,
  ) {}

  /** Creates `dir` if missing, deletes unfinished snapshots and finds the newest usable one. Reads it whole once. */
  static async open(dir: string, opts: FileSnapshotStoreOptions): Promise<FileSnapshotStore> {
    const s = new FileSnapshotStore(dir, opts.chunkBytes, Math.max(1, opts.retain ?? 2), opts.onWarn ?? (() => {}));
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const found: Stored[] = [];
    for (const name of await readdir(dir)) {
      if (name.endsWith(TMP_SUFFIX)) {
        await rm(join(dir, name), { recursive: true, force: true });
        continue;
      }
      const meta = await readFile(join(dir, name, META_FILE), 'utf8').then(
        (text) => {
          try {
            return JSON.parse(text) as unknown;
          } catch {
            return undefined;
          }
        },
        () => undefined,
      );
      if (!isFileMeta(meta)) {
        s.warn('raft snapshot directory without a valid meta.json, ignored', { path: join(dir, name) });
        continue;
      }
      found.push({ name, meta });
      s.nextId = Math.max(s.nextId, meta.id + 1);
    }
    found.sort((a, b) => b.meta.index - a.meta.index || b.meta.term - a.meta.term || b.meta.id - a.meta.id);
    for (const [i, st] of found.entries()) {
      const why = await s.verify(st);
      if (why === undefined) {
        s.current = st;
        s.kept = found.slice(i);
        break;
      }
      s.warn('raft snapshot is damaged, using an older one', { path: join(dir, st.name), reason: why });
    }
    return s;
  }

  latest(): SnapshotMeta | undefined {
    return this.current && this.toMeta(this.current.meta);
  }

  create(index: number, term: number, config: ConfigurationData): RaftSnapshotSink {
    return new FileSnapshotSink(this, this.nextId++, index, term, config);
  }

  async readChunk(meta: SnapshotMeta, seq: number): Promise<Uint8Array | undefined> {
    const cur = this.current;
    if (cur?.meta.id !== meta.id) return undefined;
    const offset = seq * this.chunkBytes;
    if (offset >= cur.meta.size) return new Uint8Array(0);
    let fh: FileHandle;
    try {
      fh = await open(join(this.dir, cur.name, STATE_FILE), 'r');
    } catch (err) {
      // Deleted by retention after two newer commits: the caller starts over with the latest.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      const len = Math.min(this.chunkBytes, cur.meta.size - offset);
      const buf = Buffer.allocUnsafe(len);
      const { bytesRead } = await fh.read(buf, 0, len, offset);
      if (bytesRead !== len) throw new Error(`raft snapshot ${cur.name}: ${STATE_FILE} is shorter than its meta.json says`);
      return buf;
    } finally {
      await fh.close();
    }
  }

  async *read(meta: SnapshotMeta): AsyncIterable<Uint8Array> {
    const st = this.kept.find((s) => s.meta.id === meta.id);
    if (!st) throw new Error(`raft snapshot ${meta.id} (index ${meta.index}) is no longer on disk`);
    let size = 0;
    for await (const piece of readPieces(join(this.dir, st.name, STATE_FILE), READ_BYTES)) {
      size += piece.byteLength;
      yield piece;
    }
    if (size !== st.meta.size)
      throw new Error(`raft snapshot ${st.name}: ${STATE_FILE} has ${size} bytes, meta.json says ${st.meta.size}`);
  }

  /**
   * @internal A sink's commit: `finish` (sync the files, write meta.json) and the publish run
   * after every earlier commit finished, so commits take effect in the order they were called.
   */
  publish(tmpName: string, finish: () => Promise<FileMeta>): Promise<SnapshotMeta | undefined> {
    const run = this.publishing.then(async () => {
      let meta: FileMeta;
      try {
        meta = await finish();
      } catch (err) {
        await rm(join(this.dir, tmpName), { recursive: true, force: true }).catch(() => {});
        throw err;
      }
      return this.publishNow(tmpName, meta);
    });
    this.publishing = run.catch(() => {});
    return run;
  }

  private async publishNow(tmpName: string, meta: FileMeta): Promise<SnapshotMeta | undefined> {
    if (this.current && this.current.meta.index >= meta.index) {
      await rm(join(this.dir, tmpName), { recursive: true, force: true });
      return undefined;
    }
    const name = tmpName.slice(0, -TMP_SUFFIX.length);
    await rename(join(this.dir, tmpName), join(this.dir, name));
    await syncDir(this.dir);
    const st = { name, meta };
    this.current = st;
    this.kept = [st, ...this.kept];
    for (const old of this.kept.splice(this.retain)) {
      await rm(join(this.dir, old.name), { recursive: true, force: true }).catch((err: unknown) =>
        this.warn('could not delete an old raft snapshot', { path: join(this.dir, old.name), error: err }),
      );
    }
    return this.toMeta(meta);
  }

  /** Why `st` cannot be restored, or undefined when its state.bin is whole. */
  private async verify(st: Stored): Promise<string | undefined> {
    const path = join(this.dir, st.name, STATE_FILE);
    try {
      if ((await stat(path)).size !== st.meta.size) return `${STATE_FILE} is not ${st.meta.size} bytes`;
      const hash = createHash('sha256');
      for await (const piece of readPieces(path, READ_BYTES)) hash.update(piece);
      return hash.digest('hex') === st.meta.sha256 ? undefined : `${STATE_FILE} does not match the SHA-256 in ${META_FILE}`;
    } catch (err) {
      return (err as Error).message;
    }
  }

  private toMeta(m: FileMeta): SnapshotMeta {
    // At least one chunk, so an empty snapshot is still sent (as one empty, final chunk).
    return { id: m.id, index: m.index, term: m.term, config: m.config, chunks: Math.max(1, Math.ceil(m.size / this.chunkBytes)) };
  }

  /** @internal */
  tmpPath(name: string): string {
    return join(this.dir, name);
  }
}

/** Writes state.bin sequentially into the snapshot's `.tmp` directory; nothing is synced before commit. */
class FileSnapshotSink implements RaftSnapshotSink {
  private readonly tmpName: string;
  private file: Promise<FileHandle> | undefined;
  private readonly hash: Hash = createHash('sha256');
  private size = 0;
  private closed = false;

  constructor(
    private readonly owner: FileSnapshotStore,
    private readonly id: number,
    readonly index: number,
    private readonly term: number,
    private readonly config: ConfigurationData,
  ) {
    // Date.now() only names the directory (as hashicorp/raft does); order comes from meta.json.
    this.tmpName = `${term}-${index}-${Date.now()}-${id}${TMP_SUFFIX}`;
  }

  private handle(): Promise<FileHandle> {
    this.file ??= (async () => {
      const dir = this.owner.tmpPath(this.tmpName);
      await mkdir(dir, { mode: 0o700 });
      return open(join(dir, STATE_FILE), 'wx', 0o600);
    })();
    return this.file;
  }

  async write(data: Uint8Array): Promise<void> {
    if (this.closed) throw new Error('snapshot sink closed');
    const fh = await this.handle();
    this.hash.update(data);
    this.size += data.byteLength;
    let off = 0;
    while (off < data.byteLength) off += (await fh.write(data, off, data.byteLength - off)).bytesWritten;
  }

  async commit(): Promise<SnapshotMeta | undefined> {
    if (this.closed) throw new Error('snapshot sink closed');
    this.closed = true;
    return this.owner.publish(this.tmpName, () => this.finish());
  }

  private async finish(): Promise<FileMeta> {
    const fh = await this.handle();
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    const meta: FileMeta = {
      version: 1,
      id: this.id,
      index: this.index,
      term: this.term,
      config: this.config,
      size: this.size,
      sha256: this.hash.digest('hex'),
    };
    const mf = await open(join(this.owner.tmpPath(this.tmpName), META_FILE), 'wx', 0o600);
    try {
      await mf.writeFile(JSON.stringify(meta));
      await mf.sync();
    } finally {
      await mf.close();
    }
    return meta;
  }

  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.file) await (await this.file.catch(() => undefined))?.close().catch(() => {});
    await rm(this.owner.tmpPath(this.tmpName), { recursive: true, force: true });
  }
}
