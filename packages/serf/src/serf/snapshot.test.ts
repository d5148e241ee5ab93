import { expect } from 'chai';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSnapshot, Snapshotter } from './snapshot.js';

describe('serf Snapshotter', () => {
  it('writes the member list owner-only (0600 file in a 0700 directory) and reads it back', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pc-snap-')), 'serf', 'local.snapshot');
    const s = new Snapshotter(path, undefined);
    s.alive('node-a', '127.0.0.1:8301');
    s.flush();
    expect(statSync(path).mode & 0o777).to.equal(0o600);
    expect(statSync(join(path, '..')).mode & 0o777).to.equal(0o700);
    expect([...readSnapshot(path)!.alive]).to.deep.equal([['node-a', '127.0.0.1:8301']]);
  });

  it('writes a change after a quiet spell at once, and gathers the next ones into one write at the interval', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pc-snap-')), 'serf', 'local.snapshot');
    const s = new Snapshotter(path, undefined, 200);
    const alive = () => [...(readSnapshot(path)?.alive.keys() ?? [])].sort();
    s.alive('node-a', '127.0.0.1:8301');
    expect(alive(), 'on disk before any timer ran').to.deep.equal(['node-a']);
    s.alive('node-b', '127.0.0.2:8301');
    s.alive('node-c', '127.0.0.3:8301');
    expect(alive(), 'within the interval: not yet').to.deep.equal(['node-a']);
    await new Promise((r) => setTimeout(r, 300));
    expect(alive()).to.deep.equal(['node-a', 'node-b', 'node-c']);
    s.close();
  });
});
