import { join } from 'node:path';
import type { KeyValueStore, Logger, RuntimeConfig, StorageEngine } from '@proconsul/kernel';
import { RaftLogBackendMismatch } from '../errors.js';
import { KvLogStore } from '../storage/kv-log-store.js';
import type { RaftLogStore } from '../storage/raft-log-store.js';
import { WalLogStore } from '../storage/wal/wal-log-store.js';

/** Where the "wal" backend keeps its segments, as Consul does: `<data_dir>/raft/wal`. */
export function walDir(dataDir: string): string {
  return join(dataDir, 'raft', 'wal');
}

/**
 * Open the raft log the server is configured for (`raft_logstore.backend`): the storage
 * engine's "raft-log" store (boltdb, handed back as a KeyValueStore for RaftNode to wrap;
 * `keep` receives it so its owner closes it), or the segment files (wal). A log written by
 * the other backend is never ignored: like Consul, switching requires removing the
 * server's raft data, so this refuses to start instead of silently losing entries.
 * Blocks on disk: the wal backend reads every segment here.
 */
export async function openRaftLog(
  engine: StorageEngine,
  runtime: RuntimeConfig,
  logger: Logger,
  keep: (kv: KeyValueStore) => void,
): Promise<KeyValueStore | RaftLogStore> {
  const settings = runtime.raftLogStore ?? { backend: 'boltdb', walSegmentSizeMb: 64 };
  const dir = runtime.dataDir ? walDir(runtime.dataDir) : undefined;
  const walFiles = dir && engine.durable ? await WalLogStore.segmentFiles(dir) : [];
  const kv = await engine.open('raft-log');
  if (settings.backend === 'boltdb' || !dir || !engine.durable) {
    keep(kv);
    if (settings.backend === 'wal')
      logger.warn('raft_logstore.backend "wal" needs a data_dir on durable storage; the raft log stays in the storage engine');
    if (walFiles.length > 0) throw RaftLogBackendMismatch(settings.backend, 'wal', `${walFiles.length} segment files in ${dir}`);
    return kv;
  }
  try {
    if (walFiles.length === 0 && (await KvLogStore.hasEntries(kv)))
      throw RaftLogBackendMismatch('wal', 'boltdb', "entries in the storage engine's raft-log store");
  } finally {
    await kv.close();
  }
  return WalLogStore.open(dir, {
    segmentBytes: settings.walSegmentSizeMb * 1024 * 1024,
    onTailCut: (file, reason, bytes) =>
      logger.warn('raft log: cut the unfinished end of the last segment (a crash during a write)', { file, reason, bytes }),
  });
}
