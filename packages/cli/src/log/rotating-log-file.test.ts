import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LOGGING } from '@proconsul/kernel';
import { RotatingLogFile } from './rotating-log-file.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'pc-logfile-'));

describe('RotatingLogFile (-log-file)', () => {
  it('a directory path holds consul.log; a name without an extension gets .log; the file is 0600', () => {
    const d = tmp();
    const a = new RotatingLogFile({ ...DEFAULT_LOGGING, file: `${d}/logs/` });
    a.write('one');
    a.close();
    expect(a.path).to.equal(join(d, 'logs', 'consul.log'));
    expect(readFileSync(a.path, 'utf8')).to.equal('one\n');
    expect(statSync(a.path).mode & 0o777).to.equal(0o600);
    const b = new RotatingLogFile({ ...DEFAULT_LOGGING, file: join(d, 'agent') });
    b.close();
    expect(b.path).to.equal(join(d, 'agent.log'));
  });

  it('rotates by size to <name>-<nanoseconds>.log and keeps log_rotate_max_files of them', () => {
    const d = tmp();
    let now = 1_000;
    const f = new RotatingLogFile(
      { ...DEFAULT_LOGGING, file: join(d, 'pc.log'), rotateBytes: 10, rotateMaxFiles: 2 },
      () => now++,
    );
    for (const line of ['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee', 'ffff', 'gggg', 'hhhh']) f.write(line);
    f.close();
    const rotated = readdirSync(d)
      .filter((n) => n !== 'pc.log')
      .sort();
    expect(rotated).to.have.length(2);
    expect(rotated.every((n) => /^pc-\d{10,}\.log$/.test(n))).to.equal(true);
    // 10 bytes hold two 5-byte lines; of three rotated files the oldest (aaaa, bbbb) was pruned.
    expect(readFileSync(join(d, 'pc.log'), 'utf8')).to.equal('gggg\nhhhh\n');
    expect(rotated.map((n) => readFileSync(join(d, n), 'utf8'))).to.deep.equal(['cccc\ndddd\n', 'eeee\nffff\n']);
  });

  it('rotates by age, and -1 keeps no old file', () => {
    const d = tmp();
    let now = 0;
    const f = new RotatingLogFile(
      { ...DEFAULT_LOGGING, file: join(d, 'x.log'), rotateDurationMs: 1000, rotateMaxFiles: -1 },
      () => now,
    );
    f.write('early');
    now = 1500;
    f.write('late');
    f.close();
    expect(readdirSync(d)).to.deep.equal(['x.log']);
    expect(readFileSync(join(d, 'x.log'), 'utf8')).to.equal('late\n');
  });
});
