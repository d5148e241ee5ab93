import type { ConfigurationData } from '../core/messages.js';

export interface SnapshotMeta {
  /** Distinguishes this snapshot from an older or half-written one; grows with each snapshot created. */
  readonly id: number;
  readonly index: number;
  readonly term: number;
  readonly config: ConfigurationData;
  /** How many chunks readChunk serves (InstallSnapshot messages); the last may be short or empty. */
  readonly chunks: number;
}

/**
 * Where a server keeps its raft snapshots, as RaftNode needs it: KvSnapshotStore (in a
 * storage engine's "raft-snapshots" store: the memory engine, the simulation) or
 * FileSnapshotStore (files under `<data_dir>/raft/snapshots`, what a server with a durable
 * engine uses).
 *
 * Visibility: a snapshot exists once its sink's commit() resolved with its meta; a crash
 * before that leaves the previous snapshot in force and nothing of the new one. latest() is
 * the newest committed snapshot.
 *
 * Concurrency: one RaftNode calls it from the JS thread. Several sinks may be open at once
 * (a snapshot of our own and one a leader is sending); each sink's calls are sequential.
 * Reads of a snapshot may overlap a sink's writes and a newer snapshot's commit.
 *
 * Buffers: a sink takes ownership of what write() is given; readChunk and read hand out
 * buffers the caller then owns.
 *
 * Every method that returns a promise may wait on disk I/O; none blocks the JS thread on it.
 */
export interface RaftSnapshotStore {
  latest(): SnapshotMeta | undefined;
  /** Start writing a snapshot; nothing is visible until its commit(). */
  create(index: number, term: number, config: ConfigurationData): RaftSnapshotSink;
  /** Chunk `seq` of snapshot `meta`, or undefined when that snapshot was replaced meanwhile. */
  readChunk(meta: SnapshotMeta, seq: number): Promise<Uint8Array | undefined>;
  /** The snapshot's bytes in order, for Fsm.restore; rejects when they cannot be read whole. */
  read(meta: SnapshotMeta): AsyncIterable<Uint8Array>;
}

/** Receives one snapshot's bytes in order. Not safe for concurrent `write` calls. */
export interface RaftSnapshotSink {
  readonly index: number;
  /** Store `data` after what was written before; the sink owns `data` from now on. */
  write(data: Uint8Array): Promise<void>;
  /**
   * Make the snapshot durable and the latest; resolves undefined when a snapshot at the same
   * or a higher index was committed meanwhile (this one is then dropped).
   */
  commit(): Promise<SnapshotMeta | undefined>;
  /** Drop what was written; nothing of it stays. */
  abort(): Promise<void>;
}

/** RaftStores.snapshots is either a snapshot store or a storage engine's store to keep them in. */
export function isRaftSnapshotStore(x: object): x is RaftSnapshotStore {
  return (
    typeof (x as Partial<RaftSnapshotStore>).readChunk === 'function' &&
    typeof (x as Partial<RaftSnapshotStore>).create === 'function'
  );
}
