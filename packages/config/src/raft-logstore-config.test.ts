import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAgentConfig } from './agent-config.js';

function withFile(json: unknown): { args: string[]; warnings: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'pc-logstore-'));
  const file = join(dir, 'c.json');
  writeFileSync(file, JSON.stringify(json));
  return { args: ['-dev', '-config-file', file], warnings: [] };
}

function load(json: unknown) {
  const f = withFile(json);
  const rc = loadAgentConfig(f.args, (w) => f.warnings.push(w));
  return { rc, warnings: f.warnings };
}

function failure(json: unknown): string {
  try {
    load(json);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('raft_logstore config', () => {
  it('defaults to Consul’s boltdb backend with 64 MiB wal segments', () => {
    expect(load({}).rc.raftLogStore).to.deep.equal({ backend: 'boltdb', walSegmentSizeMb: 64 });
  });

  it('takes backend = "wal" and wal.segment_size_mb', () => {
    const { rc } = load({ raft_logstore: { backend: 'wal', wal: { segment_size_mb: 16 } } });
    expect(rc.raftLogStore).to.deep.equal({ backend: 'wal', walSegmentSizeMb: 16 });
  });

  it('refuses an unknown backend and an out-of-range segment size, naming the key', () => {
    expect(failure({ raft_logstore: { backend: 'rocks' } }))
      .to.contain('raft_logstore.backend')
      .and.contain('"boltdb" or "wal"');
    expect(failure({ raft_logstore: { wal: { segment_size_mb: 0 } } })).to.contain('raft_logstore.wal.segment_size_mb');
    expect(failure({ raft_logstore: { wal: { segment_size_mb: 4096 } } })).to.contain('raft_logstore.wal.segment_size_mb');
    expect(failure({ raft_logstore: { wal: { segment_size_mb: 'big' } } })).to.contain('segment_size_mb');
  });

  it('accepts disable_log_cache and verification with a warning that they have no effect', () => {
    const { rc, warnings } = load({
      raft_logstore: { backend: 'wal', disable_log_cache: true, verification: { enabled: true } },
    });
    expect(rc.raftLogStore!.backend).to.equal('wal');
    expect(warnings.join('\n')).to.contain('raft_logstore.disable_log_cache').and.contain('raft_logstore.verification');
  });
});
