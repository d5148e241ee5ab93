import { expect } from 'chai';
import { chmodSync, mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { looseEntries, secureDataDir } from './data-dir-permissions.js';

describe('secureDataDir', () => {
  it('creates a missing data_dir 0700', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pc-dd-')), 'a', 'data');
    expect(secureDataDir(dir).tightened).to.equal(0);
    expect(statSync(dir).mode & 0o777).to.equal(0o700);
  });

  it('removes group and other access from an existing data_dir and everything in it, keeping the owner bits', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-dd-'));
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'raft-log'), { mode: 0o755 });
    writeFileSync(join(dir, 'raft-log', '000003.log'), 'secret', { mode: 0o644 });
    writeFileSync(join(dir, 'node-id'), 'x', { mode: 0o666 });
    writeFileSync(join(dir, 'tool'), 'x', { mode: 0o755 });
    // A symlink out of data_dir is not followed: its target is not ours to change.
    const outside = join(mkdtempSync(join(tmpdir(), 'pc-dd-out-')), 'f');
    writeFileSync(outside, 'x', { mode: 0o644 });
    symlinkSync(outside, join(dir, 'link'));
    expect(looseEntries(dir)).to.have.length(5);

    const r = secureDataDir(dir);
    expect(r).to.deep.equal({ tightened: 5, failed: [] });
    expect(looseEntries(dir)).to.deep.equal([]);
    expect(statSync(join(dir, 'raft-log', '000003.log')).mode & 0o777).to.equal(0o600);
    expect(statSync(join(dir, 'tool')).mode & 0o777).to.equal(0o700);
    expect(statSync(outside).mode & 0o777).to.equal(0o644);
    expect(secureDataDir(dir).tightened).to.equal(0);
  });
});
