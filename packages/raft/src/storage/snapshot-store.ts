import { SerialQueue, type KeyValueStore, type WriteOp } from '@proconsul/kernel';
import type { ConfigurationData } from '../core/messages.js';
import { decode, encode, utf8 } from './codec.js';
import type { RaftSnapshotSink, RaftSnapshotStore, SnapshotMeta } from './raft-snapshot-store.js';

export type { SnapshotMeta } from './raft-snapshot-store.js';

const META = utf8('meta');
const CHUNK = 0x63; // 'c'

function chunkKey(id: number, seq: number): Uint8Array {
  const key = new Uint8Array(13);
  const dv = new DataView(key.buffer);
  key[0] = CHUNK;
  dv.setBigUint64(1, BigInt(id));
  dv.setUint32(9, seq);
  return key;
}

function idPrefix(id: number): Uint8Array {
  return chunkKey(id, 0).subarray(0, 9);
}

/**
 * Raft snapshots in a KeyValueStore opened as "raft-snapshots" (servers on the memory
 * engine, the simulation; a durable server uses FileSnapshotStore). A snapshot is a meta
 * record plus numbered chunks (each at most `chunkBytes`, so InstallSnapshot messages and
 * memory stay bounded). The meta record is written last: until then the snapshot does
 * not exist, so a crash mid-write leaves the previous snapshot in force. Only the newest
 * snapshot is kept. Calls are not concurrent-safe per sink; the raft node serialises them.
 */
export class KvSnapshotStore implements RaftSnapshotStore {
  private meta: SnapshotMeta | undefined;
  private nextId = 1;
  private readonly publishing = new SerialQueue();

  private constructor(
    private readonly kv: KeyValueStore,
    private readonly chunkBytes: number,
  ) {}

  /** Loads the current snapshot's meta and deletes chunks of abandoned snapshots. */
  static async open(kv: KeyValueStore, chunkBytes: number): Promise<KvSnapshotStore> {
    const s = new KvSnapshotStore(kv, chunkBytes);
    const raw = await kv.get(META);
    s.meta = raw ? decode<SnapshotMeta>(raw) : undefined;
    s.nextId = (s.meta?.id ?? 0) + 1;
    const stale: WriteOp[] = [];
    for await (const [key] of kv.iterate({ prefix: Uint8Array.of(CHUNK) })) {
      const id = Number(new DataView(key.buffer, key.byteOffset + 1, 8).getBigUint64(0));
      if (id !== s.meta?.id) stale.push({ type: 'del', key });
      if (id >= s.nextId) s.nextId = id + 1;
    }
    if (stale.length) await kv.write(stale, { durable: true });
    return s;
  }

  latest(): SnapshotMeta | undefined {
    return this.meta;
  }

  /** Start writing a snapshot; nothing is visible until `commit()`. */
  create(index: number, term: number, config: ConfigurationData): KvSnapshotSink {
    return new KvSnapshotSink(this, this.kv, this.nextId++, index, term, config, this.chunkBytes);
  }

  /** Chunk `seq` of snapshot `meta`, or undefined when that snapshot was replaced meanwhile. */
  async readChunk(meta: SnapshotMeta, seq: number): Promise<Uint8Array | undefined> {
    if (this.meta?.id !== meta.id) return undefined;
    if (seq >= meta.chunks) return new Uint8Array(0);
    return this.kv.get(chunkKey(meta.id, seq));
  }

  /** The snapshot's bytes in order, for Fsm.restore. */
  async *read(meta: SnapshotMeta): AsyncIterable<Uint8Array> {
    for (let seq = 0; seq < meta.chunks; seq++) {
      const c = await this.kv.get(chunkKey(meta.id, seq));
      if (!c) throw new Error(`snapshot ${meta.id} chunk ${seq} missing`);
      yield c;
    }
  }

  /**
   * @internal Called by a sink's commit: publish `meta` unless something newer was published
   * meanwhile. One at a time: two commits in flight (our own snapshot and one a leader sent)
   * would otherwise both pass the check before either wrote, and the older could win.
   */
  publish(meta: SnapshotMeta): Promise<boolean> {
    return this.publishing.run(() => this.publishNow(meta));
  }

  private async publishNow(meta: SnapshotMeta): Promise<boolean> {
    if (this.meta && this.meta.index >= meta.index) {
      await this.deleteChunks(meta.id, meta.chunks);
      return false;
    }
    await this.kv.write([{ type: 'put', key: META, value: encode(meta) }], { durable: true });
    const old = this.meta;
    this.meta = meta;
    if (old) await this.deleteChunks(old.id, old.chunks);
    return true;
  }

  /** @internal */
  async deleteChunks(id: number, count: number): Promise<void> {
    const ops: WriteOp[] = [];
    for (let seq = 0; seq < count; seq++) ops.push({ type: 'del', key: chunkKey(id, seq) });
    if (ops.length) await this.kv.write(ops, { durable: false });
  }

  /** Delete every snapshot (after they moved to another store); durable when it resolves. */
  async discard(): Promise<void> {
    const ops: WriteOp[] = [{ type: 'del', key: META }];
    for await (const [key] of this.kv.iterate({ prefix: Uint8Array.of(CHUNK) })) ops.push({ type: 'del', key });
    await this.kv.write(ops, { durable: true });
    this.meta = undefined;
  }

  /** @internal */
  static chunkKey = chunkKey;
  /** @internal */
  static idPrefix = idPrefix;
}

/** Receives one snapshot's bytes in order. Not safe for concurrent `write` calls. */
export class KvSnapshotSink implements RaftSnapshotSink {
  private seq = 0;
  private closed = false;

  constructor(
    private readonly owner: KvSnapshotStore,
    private readonly kv: KeyValueStore,
    readonly id: number,
    readonly index: number,
    readonly term: number,
    readonly config: ConfigurationData,
    private readonly chunkBytes: number,
  ) {}

  /** Store bytes, split into chunks of at most chunkBytes. The sink takes ownership of `data`. */
  async write(data: Uint8Array): Promise<void> {
    if (this.closed) throw new Error('snapshot sink closed');
    const ops: WriteOp[] = [];
    for (let off = 0; off < data.length; off += this.chunkBytes) {
      ops.push({ type: 'put', key: chunkKey(this.id, this.seq++), value: data.subarray(off, off + this.chunkBytes) });
    }
    // Not synced one by one: a 1M-key snapshot is ~2,800 chunks, and an fsync each queued
    // behind the log's appends doubled the cost of the writes around it. commit()'s meta
    // write is durable, and a durable write syncs every earlier write of the store
    // (KeyValueStore.write), so the meta can never point at chunks a crash lost.
    if (ops.length) await this.kv.write(ops, { durable: false });
  }

  /** Publish the snapshot; false when a newer one was published meanwhile (this one is dropped). */
  async commit(): Promise<SnapshotMeta | undefined> {
    this.closed = true;
    const meta: SnapshotMeta = { id: this.id, index: this.index, term: this.term, config: this.config, chunks: this.seq };
    return (await this.owner.publish(meta)) ? meta : undefined;
  }

  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.owner.deleteChunks(this.id, this.seq);
  }
}
