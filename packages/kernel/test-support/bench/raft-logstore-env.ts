export type RaftLogBackend = 'boltdb' | 'wal';

/**
 * The raft log backends a bench runs against, from RAFT_LOGSTORE ("boltdb", "wal" or
 * "boltdb,wal"), so the same bench prints the KV-backed log and the segment-file log side by
 * side. A bad value stops the bench naming the variable.
 */
export function benchRaftLogStores(fallback: readonly RaftLogBackend[]): RaftLogBackend[] {
  const raw = process.env['RAFT_LOGSTORE'];
  if (raw === undefined || raw.trim() === '') return [...fallback];
  const list = raw.split(',').map((s) => s.trim());
  for (const b of list) {
    if (b !== 'boltdb' && b !== 'wal') throw new Error(`RAFT_LOGSTORE: "${b}" is not "boltdb" or "wal"`);
  }
  return list as RaftLogBackend[];
}

/** The one backend a bench that runs a single cluster uses: RAFT_LOGSTORE, default "boltdb". */
export function benchRaftLogStore(bench: string): RaftLogBackend {
  const backends = benchRaftLogStores(['boltdb']);
  if (backends.length !== 1) throw new Error(`RAFT_LOGSTORE: ${bench} runs one backend at a time ("boltdb" or "wal")`);
  return backends[0]!;
}
