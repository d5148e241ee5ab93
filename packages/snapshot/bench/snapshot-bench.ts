/**
 * `npm run bench:snapshot [N,N…]`: save and restore of N KV keys through the archive, as
 * `/v1/snapshot` does (image → archive file → verify + stage → install), printing time and
 * the peak RSS growth of each phase. Default sizes 100k and 1M. Bounded: one pass per size.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { openArchive, StateImageService, StateStore, writeArchive, type ArchiveHeader } from '@proconsul/kernel';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const mib = (b: number) => (b / 1024 / 1024).toFixed(0);

async function measure<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; peakGrowth: number }> {
  gc();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { value, ms, peakGrowth: peak - base };
}

async function run(n: number, dir: string): Promise<void> {
  const store = new StateStore();
  const value = Buffer.alloc(64, 'v');
  for (let i = 0; i < n; i++) store.apply(i + 1, { v: 1, type: 'kv-set', Key: `bench/${i}`, Value: value });
  gc();
  const stateRss = process.memoryUsage().rss;
  const file = join(dir, `bench-${n}.snap`);
  const service = new StateImageService(store);
  const save = await measure(async () => {
    const image = service.capture();
    const header: ArchiveHeader = {
      format: 'proconsul-snapshot',
      version: 1,
      id: `1-${image.index}-0`,
      index: image.index,
      term: 1,
      datacenter: 'dc1',
      proconsulVersion: 'bench',
      createdAt: new Date().toISOString(),
    };
    await pipeline(Readable.from(writeArchive(image, header)), createWriteStream(file));
    image.release();
  });
  const size = statSync(file).size;
  const target = new StateImageService(new StateStore());
  const restore = await measure(async () => {
    const archive = await openArchive(createReadStream(file, { highWaterMark: 1024 * 1024 }));
    const staged = await target.stage(archive.body);
    archive.trailer();
    target.install(staged, n + 1);
    return staged.counts['kv'];
  });
  if (restore.value !== n) throw new Error(`restored ${restore.value} keys, wanted ${n}`);
  console.log(
    `${String(n).padStart(8)} keys  archive ${mib(size)} MiB  state RSS ${mib(stateRss)} MiB  ` +
      `save ${(save.ms / 1000).toFixed(2)} s (+${mib(save.peakGrowth)} MiB peak)  ` +
      `restore ${(restore.ms / 1000).toFixed(2)} s (+${mib(restore.peakGrowth)} MiB peak)`,
  );
  rmSync(file);
}

const sizes = (process.argv[2] ?? '100000,1000000').split(',').map(Number);
const dir = mkdtempSync(join(tmpdir(), 'pc-snap-bench-'));
try {
  for (const n of sizes) {
    await run(n, dir);
    gc();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
