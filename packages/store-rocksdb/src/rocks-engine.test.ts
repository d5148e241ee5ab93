import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStorageConformance } from '@proconsul/kernel/testing';
import { RocksDbEngine } from './rocks-engine.js';

runStorageConformance('rocksdb', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'proconsul-rocks-'));
  const engine = new RocksDbEngine(dir);
  return {
    engine,
    cleanup: async () => {
      await engine.closeAll();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
