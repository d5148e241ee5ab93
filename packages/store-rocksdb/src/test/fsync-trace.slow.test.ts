import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const WRITER = fileURLToPath(new URL('./durable-writer.js', import.meta.url));
const run = promisify(execFile);

/**
 * A SIGKILL test cannot tell fsync'd writes from ones sitting in the page cache (both
 * survive a process crash), so this counts the sync syscalls RocksDB actually issues.
 */
describe('store-rocksdb durable writes reach the disk (strace)', function () {
  this.timeout(60_000);
  let base: string;
  beforeEach(async function () {
    try {
      await run('strace', ['-qq', '-e', 'trace=none', process.execPath, '-e', '0']);
    } catch {
      this.skip(); // no strace or ptrace forbidden here: nothing to measure with
    }
    base = await mkdtemp(join(tmpdir(), 'proconsul-fsync-'));
  });
  afterEach(async () => {
    if (base) await rm(base, { recursive: true, force: true });
  });

  async function syncCalls(kind: 'durable' | 'fast' | 'durable-range' | 'fast-range', n: number): Promise<number> {
    const out = join(base, `${kind}.strace`);
    const dir = join(base, kind);
    await run('strace', [
      '-f',
      '-qq',
      '-e',
      'trace=fsync,fdatasync',
      '-o',
      out,
      process.execPath,
      WRITER,
      'count',
      dir,
      String(n),
      kind,
    ]);
    const text = await readFile(out, 'utf8');
    return text.split('\n').filter((l) => /\b(fsync|fdatasync)\(/.test(l)).length;
  }

  it('issues at least one fsync/fdatasync per acknowledged durable batch, and far fewer without durable', async () => {
    const n = 200;
    const durable = await syncCalls('durable', n);
    const fast = await syncCalls('fast', n);
    expect(durable, `sync calls for ${n} durable batches`).to.be.at.least(n);
    expect(fast, `sync calls for ${n} non-durable batches`).to.be.below(n / 4);
  });

  it('fsyncs a durable batch that ends with a range delete (whose own writes RocksDB does not sync)', async () => {
    const n = 200;
    const durable = await syncCalls('durable-range', n);
    const fast = await syncCalls('fast-range', n);
    expect(durable, `sync calls for ${n} durable range deletes`).to.be.at.least(n);
    expect(fast, `sync calls for ${n} non-durable range deletes`).to.be.below(n / 4);
  });
});
