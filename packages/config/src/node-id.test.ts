import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCoded } from '@proconsul/kernel';
import { resolveNodeId } from './node-id.js';

describe('node ID', () => {
  it('is generated once, kept in data_dir, and reused on the next start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-nodeid-'));
    const first = resolveNodeId('', dir);
    expect(first).to.match(/^[0-9a-f-]{36}$/);
    expect(readFileSync(join(dir, 'node-id'), 'utf8').trim()).to.equal(first);
    expect(resolveNodeId('', dir)).to.equal(first);
  });

  it('differs between data directories on the same host', () => {
    const a = resolveNodeId('', mkdtempSync(join(tmpdir(), 'pc-nodeid-')));
    const b = resolveNodeId('', mkdtempSync(join(tmpdir(), 'pc-nodeid-')));
    expect(a).to.not.equal(b);
  });

  it('-node-id overrides and is persisted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-nodeid-'));
    resolveNodeId('', dir);
    const id = '6f1c4a2e-1111-4222-8333-944455556666';
    expect(resolveNodeId(id, dir)).to.equal(id);
    expect(resolveNodeId('', dir)).to.equal(id);
  });

  it('refuses a corrupt node-id file instead of overwriting it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-nodeid-'));
    writeFileSync(join(dir, 'node-id'), 'garbage');
    try {
      resolveNodeId('', dir);
      expect.fail('should throw');
    } catch (e) {
      expect(isCoded(e, 'STORAGE_CORRUPT')).to.equal(true);
    }
    expect(readFileSync(join(dir, 'node-id'), 'utf8')).to.equal('garbage');
  });
});
