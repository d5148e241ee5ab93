import { expect } from 'chai';
import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCoded } from '@proconsul/kernel';
import { ensureUsableDataDir } from './data-dir-check.js';

function failure(dir: string): string {
  try {
    ensureUsableDataDir(dir);
  } catch (e) {
    expect(isCoded(e, 'DATA_DIR_UNUSABLE')).to.equal(true);
    return (e as Error).message;
  }
  return 'no error';
}

describe('data_dir usability', () => {
  const base = mkdtempSync(join(tmpdir(), 'pc-datadir-'));

  it('creates a missing data_dir owner-only', () => {
    const dir = join(base, 'new', 'data');
    ensureUsableDataDir(dir);
    expect(statSync(dir).mode & 0o777).to.equal(0o700);
  });

  it('names the path and the reason when data_dir is a file or under one', () => {
    const file = join(base, 'afile');
    writeFileSync(file, 'x');
    expect(failure(file)).to.equal(`data_dir ${file}: exists and is not a directory`);
    expect(failure(join(file, 'sub'))).to.equal(`data_dir ${join(file, 'sub')}: a parent of it is a file, not a directory`);
  });

  it('refuses a data_dir the agent cannot write', function () {
    // root writes anywhere; /proc refuses even root.
    const dir = process.getuid?.() === 0 ? '/proc/proconsul-data' : join(base, 'ro', 'data');
    if (process.getuid?.() !== 0) {
      ensureUsableDataDir(join(base, 'ro'));
      chmodSync(join(base, 'ro'), 0o500);
    }
    expect(failure(dir)).to.match(new RegExp(`^data_dir ${dir}: `));
  });
});
