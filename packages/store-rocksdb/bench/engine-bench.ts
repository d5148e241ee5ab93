/**
 * Storage engine benchmark: `npm run bench:engines` (root). Loads each engine through its
 * plugin and the StorageEngine token, the way the agent does, and prints ops/s.
 *
 * Every loop is bounded both in count and in time (MAX_MS), so a slow disk shortens a run
 * rather than hanging it; the table says how many ops each figure is based on.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Container } from 'inversify';
import { importPlugin, NullLogger, StorageEngine, type KeyValueStore, type RuntimeConfig } from '@proconsul/kernel';
import { repoRoot } from '@proconsul/kernel/testing';

/** Per measurement; long enough to smooth fsync jitter, short enough for a quick run. */
const MAX_MS = 5_000;
const VALUE = Buffer.alloc(100, 0x61); // Raft log entries for small KV writes are ~100 B
const key = (i: number) => Buffer.from(`key/${String(i).padStart(8, '0')}`);

interface Result {
  ops: number;
  ms: number;
}
const rate = (r: Result) => Math.round((r.ops / r.ms) * 1000);

async function timed(maxOps: number, step: (i: number) => Promise<number>): Promise<Result> {
  const start = performance.now();
  let ops = 0;
  for (let i = 0; ops < maxOps && performance.now() - start < MAX_MS; i++) ops += await step(i);
  return { ops, ms: performance.now() - start };
}

async function sequentialDurable(store: KeyValueStore): Promise<Result> {
  return timed(3_000, async (i) => {
    await store.write([{ type: 'put', key: key(i), value: VALUE }], { durable: true });
    return 1;
  });
}

async function batched(store: KeyValueStore): Promise<Result> {
  return timed(200_000, async (i) => {
    const ops = Array.from({ length: 100 }, (_, j) => ({ type: 'put', key: key(1e6 + i * 100 + j), value: VALUE }) as const);
    await store.write(ops, { durable: true });
    return 100;
  });
}

/** 16 callers each awaiting its own single-put durable batch: shows group commit. */
async function concurrentDurable(store: KeyValueStore): Promise<Result> {
  return timed(20_000, async (i) => {
    await Promise.all(
      Array.from({ length: 16 }, (_, j) =>
        store.write([{ type: 'put', key: key(5e6 + i * 16 + j), value: VALUE }], { durable: true }),
      ),
    );
    return 16;
  });
}

async function rangeScan(store: KeyValueStore): Promise<Result> {
  const n = 100_000;
  for (let i = 0; i < n; i += 1000) {
    const ops = Array.from(
      { length: 1000 },
      (_, j) => ({ type: 'put', key: Buffer.from(`scan/${String(i + j).padStart(8, '0')}`), value: VALUE }) as const,
    );
    await store.write(ops, { durable: false });
  }
  return timed(n * 3, async () => {
    let c = 0;
    for await (const _ of store.iterate({ prefix: Buffer.from('scan/') })) c++;
    if (c !== n) throw new Error(`scan saw ${c} entries, expected ${n}`);
    return c;
  });
}

async function engineFrom(pkg: string, dataDir: string): Promise<StorageEngine> {
  // Resolved by name through the kernel's plugin loader, as plugins.json entries are.
  const plugin = await importPlugin(pkg, join(repoRoot(), 'plugins.json'));
  const c = new Container();
  c.load(plugin.createModule({}, { config: { dataDir } as RuntimeConfig, logger: new NullLogger() }));
  return c.get<StorageEngine>(StorageEngine);
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'proconsul-bench-'));
  const rows: string[][] = [];
  try {
    for (const pkg of ['@proconsul/store-memory', '@proconsul/store-rocksdb']) {
      const engine = await engineFrom(pkg, dir);
      const cells = [engine.kind];
      for (const [name, fn] of [
        ['seq', sequentialDurable],
        ['batch', batched],
        ['conc', concurrentDurable],
        ['scan', rangeScan],
      ] as const) {
        const store = await engine.open(`bench-${name}`);
        const r = await fn(store);
        await store.close();
        cells.push(`${rate(r).toLocaleString('en-US')} (${r.ops.toLocaleString('en-US')})`);
        process.stderr.write(`${engine.kind} ${name}: ${rate(r)}/s\n`);
      }
      rows.push(cells);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const header = [
    'engine',
    'seq durable writes/s',
    'batched writes/s (100/batch, durable)',
    '16 concurrent durable writers, writes/s',
    'range scan entries/s (100k keys)',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  rows.forEach((r) => console.log(line(r)));
  console.log('(ops measured in parentheses; each cell bounded to ' + MAX_MS / 1000 + ' s)');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
