import { expect } from 'chai';
import { chmodSync, mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_DATA_ENTRIES, looseEntries, secureDataDir } from './data-dir-permissions.js';

const mode = (p: string) => statSync(p).mode & 0o7777;

describe('secureDataDir', () => {
  it('creates a missing data_dir 0700', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pc-dd-')), 'a', 'data');
    expect(secureDataDir(dir, AGENT_DATA_ENTRIES)).to.deep.equal({ tightened: 0, failed: [], shared: false });
    expect(mode(dir)).to.equal(0o700);
  });

  it("removes group and other access from an old agent's data_dir, keeping the owner bits", () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-dd-'));
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'raft-log'), { mode: 0o755 });
    writeFileSync(join(dir, 'raft-log', '000003.log'), 'secret', { mode: 0o644 });
    mkdirSync(join(dir, 'serf'), { mode: 0o775 });
    writeFileSync(join(dir, 'serf', 'keyring'), 'k', { mode: 0o664 });
    writeFileSync(join(dir, 'node-id'), 'x', { mode: 0o666 });
    // Raft snapshot files hold every KV value and ACL secret.
    mkdirSync(join(dir, 'raft', 'snapshots'), { recursive: true, mode: 0o755 });
    writeFileSync(join(dir, 'raft', 'snapshots', 'state.bin'), 'secret', { mode: 0o644 });
    // A symlink out of data_dir is not followed: its target is not ours to change.
    const outside = join(mkdtempSync(join(tmpdir(), 'pc-dd-out-')), 'f');
    writeFileSync(outside, 'x', { mode: 0o644 });
    symlinkSync(outside, join(dir, 'services'));
    expect(looseEntries(dir)).to.have.length(9);

    expect(secureDataDir(dir, AGENT_DATA_ENTRIES)).to.deep.equal({ tightened: 9, failed: [], shared: false });
    expect(looseEntries(dir)).to.deep.equal([]);
    expect(mode(join(dir, 'raft-log', '000003.log'))).to.equal(0o600);
    expect(mode(join(dir, 'raft', 'snapshots', 'state.bin'))).to.equal(0o600);
    expect(mode(join(dir, 'serf'))).to.equal(0o700);
    expect(mode(outside)).to.equal(0o644);
    expect(secureDataDir(dir, AGENT_DATA_ENTRIES).tightened).to.equal(0);
  });

  it('leaves what is not the agent’s alone when data_dir is shared with other files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-dd-'));
    writeFileSync(join(dir, 'README'), 'x', { mode: 0o644 });
    mkdirSync(join(dir, 'site'), { mode: 0o755 });
    writeFileSync(join(dir, 'node-id'), 'x', { mode: 0o644 });
    secureDataDir(dir, AGENT_DATA_ENTRIES);
    expect([mode(join(dir, 'README')), mode(join(dir, 'site')), mode(join(dir, 'node-id'))]).to.deep.equal([0o644, 0o755, 0o600]);
    // Without a list (a storage engine's own directory) everything is tightened.
    secureDataDir(dir);
    expect(looseEntries(dir)).to.deep.equal([]);
  });

  it('keeps the mode of a shared sticky directory such as /tmp', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-dd-'));
    chmodSync(dir, 0o1777);
    const r = secureDataDir(dir, AGENT_DATA_ENTRIES);
    expect(r.shared).to.equal(true);
    expect(mode(dir)).to.equal(0o1777);
  });
});
