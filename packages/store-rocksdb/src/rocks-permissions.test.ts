import { expect } from 'chai';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { looseEntries } from '@proconsul/agent';
import { RocksDbEngine } from './rocks-engine.js';

/** The Raft log lives in these stores and carries ACL SecretIDs: nobody but the owner may read it. */
describe('rocksdb store files are owner-only', () => {
  let base: string;
  beforeEach(() => (base = join(mkdtempSync(join(tmpdir(), 'pc-rocks-perm-')), 'data')));
  afterEach(() => rmSync(join(base, '..'), { recursive: true, force: true }));

  it('creates the base and store directories 0700 and every file RocksDB wrote at open 0600', async () => {
    const engine = new RocksDbEngine(base);
    const store = await engine.open('raft-log');
    await store.write([{ type: 'put', key: Buffer.from('k'), value: Buffer.from('secret') }], { durable: true });
    expect(readdirSync(join(base, 'raft-log'))).to.include('CURRENT');
    expect(looseEntries(base)).to.deep.equal([]);
    await engine.closeAll();
  });

  it('tightens a store directory left readable by an older version when it is opened again', async () => {
    const first = new RocksDbEngine(base);
    await first.open('raft-log');
    await first.closeAll();
    chmodSync(join(base, 'raft-log'), 0o755);
    for (const f of readdirSync(join(base, 'raft-log'))) chmodSync(join(base, 'raft-log', f), 0o644);
    const again = new RocksDbEngine(base);
    await again.open('raft-log');
    expect(looseEntries(base)).to.deep.equal([]);
    await again.closeAll();
  });
});
