import { expect } from 'chai';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCoded, NullLogger, type RuntimeConfig, type StorageEngine } from '@proconsul/kernel';
import { SimDisk, realTimeScheduler } from '../sim/sim-store.js';
import { Prng } from '../sim/prng.js';
import { isRaftLogStore } from '../storage/raft-log-store.js';
import { KvLogStore } from '../storage/kv-log-store.js';
import { openRaftLog, walDir } from './raft-log-opener.js';

function rc(dataDir: string, backend: 'boltdb' | 'wal'): RuntimeConfig {
  return { dataDir, raftLogStore: { backend, walSegmentSizeMb: 1 } } as unknown as RuntimeConfig;
}
const entry = (index: number) => ({ index, term: 1, kind: 'cmd' as const, data: Uint8Array.of(index) });

describe('openRaftLog (raft_logstore.backend)', () => {
  let dataDir: string;
  let engine: StorageEngine;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'raftlog-open-'));
    engine = new SimDisk(realTimeScheduler, new Prng(7), [0, 0]).engine();
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('wal: segment files under data_dir/raft/wal, entries kept across reopen', async () => {
    const log = await openRaftLog(engine, rc(dataDir, 'wal'), new NullLogger(), () => {});
    expect(isRaftLogStore(log) && log.backend).to.equal('wal');
    if (!isRaftLogStore(log)) return;
    await log.append([entry(1), entry(2)]);
    await log.close();
    expect(await readdir(walDir(dataDir))).to.have.length(1);
    const again = await openRaftLog(engine, rc(dataDir, 'wal'), new NullLogger(), () => {});
    expect(isRaftLogStore(again) && (await again.loadAll()).map((e) => e.index)).to.deep.equal([1, 2]);
    if (isRaftLogStore(again)) await again.close();
  });

  it('refuses boltdb when the server has wal segments, and wal when the storage engine holds a log', async () => {
    const wal = await openRaftLog(engine, rc(dataDir, 'wal'), new NullLogger(), () => {});
    if (isRaftLogStore(wal)) {
      await wal.append([entry(1)]);
      await wal.close();
    }
    const toBolt = await openRaftLog(engine, rc(dataDir, 'boltdb'), new NullLogger(), (kv) => void kv.close()).catch(
      (e: unknown) => e,
    );
    expect(isCoded(toBolt, 'RAFT_LOG_BACKEND_MISMATCH')).to.equal(true);
    expect(String(toBolt)).to.contain('raft_logstore.backend').and.contain(walDir(dataDir));

    const other = await mkdtemp(join(tmpdir(), 'raftlog-open-'));
    try {
      const engine2 = new SimDisk(realTimeScheduler, new Prng(8), [0, 0]).engine();
      const kv = await engine2.open('raft-log');
      const bolt = new KvLogStore(kv);
      await bolt.append([entry(1)]);
      await kv.close();
      const toWal = await openRaftLog(engine2, rc(other, 'wal'), new NullLogger(), () => {}).catch((e: unknown) => e);
      expect(isCoded(toWal, 'RAFT_LOG_BACKEND_MISMATCH')).to.equal(true);
      expect(await readdir(other)).to.deep.equal([]);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('boltdb (the default) hands back the storage engine store for RaftNode to wrap', async () => {
    const kept: unknown[] = [];
    const log = await openRaftLog(engine, { dataDir } as unknown as RuntimeConfig, new NullLogger(), (kv) => kept.push(kv));
    expect(isRaftLogStore(log)).to.equal(false);
    expect(kept).to.deep.equal([log]);
  });
});
