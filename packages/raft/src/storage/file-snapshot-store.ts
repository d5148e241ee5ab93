import { createHash, type Hash } from 'node:crypto';
import { SerialQueue } from '@proconsul/kernel';
import type { ConfigurationData } from '../core/messages.js';
import type { RaftSnapshotSink, RaftSnapshotStore, SnapshotMeta } from './raft-snapshot-store.js';
import { NodeSnapshotFiles, type SnapshotFileWriter, type SnapshotFiles } from './snapshot-files.js';

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

/** Reads `dir/name` from the start in pieces; the caller owns each piece. Rejects when the file goes away. */
async function* readPieces(files: SnapshotFiles, dir: string, name: string, pieceBytes: number): AsyncGenerator<Buffer> {
  for (let pos = 0; ;) {
    const piece = await files.readAt(dir, name, pos, pieceBytes);
    if (piece === undefined) throw new Error(`${files.path(dir, name)} is gone`);
    if (piece.length === 0) return;
    pos += piece.length;
    yield piece;
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
  /** Snapshots a read() is streaming: retention leaves them until the read ends. */
  private readonly reading = new Map<string, number>();
  private nextId = 1;
  /** Commits run one at a time: the "newer than latest" check and the rename must not interleave. */
  private readonly publishing = new SerialQueue();

  private constructor(
    readonly files: SnapshotFiles,
    private readonly chunkBytes: number,
    private readonly retain: number,
    private readonly warn: (message: string, fields: Record<string, unknown>) => void,
  ) {}

  /**
   * Opens the snapshots in `dir` (a path: the real file system) or `files`: creates the root
   * if missing, deletes unfinished snapshots and finds the newest usable one, which it reads
   * whole once to verify.
   */
  static async open(dir: string | SnapshotFiles, opts: FileSnapshotStoreOptions): Promise<FileSnapshotStore> {
    const files = typeof dir === 'string' ? new NodeSnapshotFiles(dir) : dir;
    const s = new FileSnapshotStore(files, opts.chunkBytes, Math.max(1, opts.retain ?? 2), opts.onWarn ?? (() => {}));
    await files.ensureRoot();
    const found: Stored[] = [];
    for (const name of await files.list()) {
      if (name.endsWith(TMP_SUFFIX)) {
        await files.remove(name);
        continue;
      }
      const raw = await files.readFile(name, META_FILE);
      let meta: unknown;
      try {
        meta = raw && (JSON.parse(raw.toString('utf8')) as unknown);
      } catch {
        meta = undefined;
      }
      if (!isFileMeta(meta)) {
        s.warn('raft snapshot directory without a valid meta.json, ignored', { path: files.path(name) });
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
      s.warn('raft snapshot is damaged, using an older one', { path: files.path(st.name), reason: why });
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
    const len = Math.min(this.chunkBytes, cur.meta.size - offset);
    // Undefined when a newer snapshot replaced this one meanwhile: the caller starts over with the latest.
    const chunk = await this.files.readAt(cur.name, STATE_FILE, offset, len);
    if (chunk && chunk.length !== len)
      throw new Error(`${this.files.path(cur.name, STATE_FILE)} is shorter than its meta.json says`);
    return chunk;
  }

  async *read(meta: SnapshotMeta): AsyncIterable<Uint8Array> {
    const st = this.kept.find((s) => s.meta.id === meta.id);
    if (!st) throw new Error(`raft snapshot ${meta.id} (index ${meta.index}) is no longer on disk`);
    this.reading.set(st.name, (this.reading.get(st.name) ?? 0) + 1);
    try {
      let size = 0;
      for await (const piece of readPieces(this.files, st.name, STATE_FILE, READ_BYTES)) {
        size += piece.byteLength;
        yield piece;
      }
      if (size !== st.meta.size)
        throw new Error(`${this.files.path(st.name, STATE_FILE)} has ${size} bytes, meta.json says ${st.meta.size}`);
    } finally {
      const n = this.reading.get(st.name)! - 1;
      if (n === 0) this.reading.delete(st.name);
      else this.reading.set(st.name, n);
    }
  }

  /**
   * @internal A sink's commit: `finish` (sync the files, write meta.json) and the publish run
   * after every earlier commit finished, so commits take effect in the order they were called.
   */
  publish(tmpName: string, finish: () => Promise<FileMeta>): Promise<SnapshotMeta | undefined> {
    return this.publishing.run(async () => {
      let meta: FileMeta;
      try {
        meta = await finish();
      } catch (err) {
        await this.files.remove(tmpName).catch(() => {});
        throw err;
      }
      return this.publishNow(tmpName, meta);
    });
  }

  private async publishNow(tmpName: string, meta: FileMeta): Promise<SnapshotMeta | undefined> {
    if (this.current && this.current.meta.index >= meta.index) {
      await this.files.remove(tmpName);
      return undefined;
    }
    const name = tmpName.slice(0, -TMP_SUFFIX.length);
    await this.files.rename(tmpName, name);
    await this.files.syncDir();
    const st = { name, meta };
    this.current = st;
    const older = this.kept;
    this.kept = [st, ...older.slice(0, this.retain - 1)];
    for (const old of older.slice(this.retain - 1)) {
      if (this.reading.has(old.name)) {
        this.kept.push(old); // deleted by a later commit, once its read is over
        continue;
      }
      await this.files
        .remove(old.name)
        .catch((err: unknown) =>
          this.warn('could not delete an old raft snapshot', { path: this.files.path(old.name), error: err }),
        );
    }
    return this.toMeta(meta);
  }

  /** Why `st` cannot be restored, or undefined when its state.bin is whole. */
  private async verify(st: Stored): Promise<string | undefined> {
    try {
      const size = await this.files.size(st.name, STATE_FILE);
      if (size !== st.meta.size) return `${STATE_FILE} is ${size ?? 'missing'}, not ${st.meta.size} bytes`;
      const hash = createHash('sha256');
      for await (const piece of readPieces(this.files, st.name, STATE_FILE, READ_BYTES)) hash.update(piece);
      return hash.digest('hex') === st.meta.sha256 ? undefined : `${STATE_FILE} does not match the SHA-256 in ${META_FILE}`;
    } catch (err) {
      return (err as Error).message;
    }
  }

  private toMeta(m: FileMeta): SnapshotMeta {
    // At least one chunk, so an empty snapshot is still sent (as one empty, final chunk).
    return { id: m.id, index: m.index, term: m.term, config: m.config, chunks: Math.max(1, Math.ceil(m.size / this.chunkBytes)) };
  }
}

/** Writes state.bin sequentially into the snapshot's `.tmp` directory; nothing is synced before commit. */
class FileSnapshotSink implements RaftSnapshotSink {
  private readonly tmpName: string;
  private file: Promise<SnapshotFileWriter> | undefined;
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

  private handle(): Promise<SnapshotFileWriter> {
    this.file ??= (async () => {
      await this.owner.files.makeDir(this.tmpName);
      return this.owner.files.create(this.tmpName, STATE_FILE);
    })();
    return this.file;
  }

  async write(data: Uint8Array): Promise<void> {
    if (this.closed) throw new Error('snapshot sink closed');
    const file = await this.handle();
    this.hash.update(data);
    this.size += data.byteLength;
    await file.append(data);
  }

  async commit(): Promise<SnapshotMeta | undefined> {
    if (this.closed) throw new Error('snapshot sink closed');
    this.closed = true;
    return this.owner.publish(this.tmpName, () => this.finish());
  }

  private async finish(): Promise<FileMeta> {
    const files = this.owner.files;
    const state = await this.handle();
    try {
      await state.sync();
    } finally {
      await state.close();
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
    const mf = await files.create(this.tmpName, META_FILE);
    try {
      await mf.append(Buffer.from(JSON.stringify(meta)));
      await mf.sync();
    } finally {
      await mf.close();
    }
    // The two new entries are durable before the rename can make the directory visible.
    await files.syncDir(this.tmpName);
    return meta;
  }

  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.file) await (await this.file.catch(() => undefined))?.close().catch(() => {});
    await this.owner.files.remove(this.tmpName);
  }
}
