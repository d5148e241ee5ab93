import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tarGz } from './tar-gz.js';

describe('tarGz', () => {
  it('writes an archive that tar extracts with names, contents and modes intact', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-tar-'));
    const long = `bundle/${'d'.repeat(80)}/${'f'.repeat(60)}.json`;
    writeFileSync(
      join(dir, 'a.tar.gz'),
      tarGz([
        { name: 'bundle/' },
        { name: 'bundle/agent.json', data: Buffer.from('{"a":1}') },
        { name: `bundle/${'d'.repeat(80)}/` },
        { name: long, data: Buffer.alloc(700, 'x') },
      ]),
    );
    execFileSync('tar', ['-xzf', 'a.tar.gz'], { cwd: dir });
    expect(readFileSync(join(dir, 'bundle/agent.json'), 'utf8')).to.equal('{"a":1}');
    expect(readFileSync(join(dir, long)).length).to.equal(700);
    expect(statSync(join(dir, 'bundle/agent.json')).mode & 0o777).to.equal(0o600);
  });
});
