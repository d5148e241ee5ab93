import { join } from 'node:path';
import type { KeyValueStore, Logger, RuntimeConfig, StorageEngine } from '@proconsul/kernel';
import { FileSnapshotStore } from '../storage/file-snapshot-store.js';
import type { RaftSnapshotStore } from '../storage/raft-snapshot-store.js';
import { KvSnapshotStore } from '../storage/snapshot-store.js';

/** Where a server keeps its raft snapshots, as Consul does: `<data_dir>/raft/snapshots`. */
export function snapshotDir(dataDir: string): string {
  return join(dataDir, 'raft', 'snapshots');
}

/**
 * Open where raft keeps its snapshots. A server with a data_dir on a durable engine keeps
 * them as files (FileSnapshotStore); otherwise (the memory engine, -dev) they stay in the
 * engine's "raft-snapshots" store, handed back as a KeyValueStore for RaftNode to wrap and
 * given to `keep` so its owner closes it.
 *
 * Upgrade: a server whose snapshot is still in the engine's store (written before snapshots
 * moved to files) has it copied into a file snapshot, then deleted from the store. A crash
 * part-way repeats the copy at the next start; the store's copy goes only after the file
 * snapshot is committed. Blocks on disk: reads the newest file snapshot whole to verify it.
 */
export async function openRaftSnapshots(
  engine: StorageEngine,
  runtime: RuntimeConfig,
  logger: Logger,
  chunkBytes: number,
  keep: (kv: KeyValueStore) => void,
): Promise<KeyValueStore | RaftSnapshotStore> {
  const kv = await engine.open('raft-snapshots');
  if (!runtime.dataDir || !engine.durable) {
    keep(kv);
    return kv;
  }
  try {
    const dir = snapshotDir(runtime.dataDir);
    const files = await FileSnapshotStore.open(dir, {
      chunkBytes,
      onWarn: (message, fields) => logger.warn(message, fields),
    });
    const legacy = await KvSnapshotStore.open(kv, chunkBytes);
    const old = legacy.latest();
    if (old) {
      if ((files.latest()?.index ?? 0) < old.index) {
        const sink = files.create(old.index, old.term, old.config);
        try {
          for await (const chunk of legacy.read(old)) await sink.write(chunk);
        } catch (err) {
          await sink.abort().catch(() => {});
          throw err;
        }
        await sink.commit();
        logger.info('moved the raft snapshot from the storage engine to files', { index: old.index, dir });
      }
      await legacy.discard();
    }
    return files;
  } finally {
    await kv.close();
  }
}
