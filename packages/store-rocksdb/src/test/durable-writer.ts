/**
 * Child process for the crash tests (not a test itself):
 *   node durable-writer.js write <baseDir>  — writes durable batches forever, printing
 *       "ack <key>" for every key whose batch was acknowledged;
 *   node durable-writer.js hold <baseDir>   — opens the store, prints "ready", waits;
 *   node durable-writer.js count <baseDir> <n> <durable|fast|durable-range|fast-range> — writes
 *       n single-put batches one after another (the -range kinds: each followed by a batch
 *       that range-deletes it, durable only for durable-range, the puts not durable), then
 *       closes and exits 0 (for syscall tracing).
 * Either prints "error <CODE> <message>" and exits 1 when the open fails.
 */
import { isCoded } from '@proconsul/kernel';
import { RocksDbEngine } from '../rocks-engine.js';

const [mode, baseDir, countArg, kind] = process.argv.slice(2);
const STORE = 'crash';

async function main(): Promise<void> {
  const store = await new RocksDbEngine(baseDir!).open(STORE);
  if (mode === 'hold') {
    process.stdout.write('ready\n');
    setInterval(() => undefined, 1 << 30);
    return;
  }
  if (mode === 'count') {
    for (let i = 0; i < Number(countArg); i++) {
      // "-range" kinds: a put, then a batch that ends with a range delete of it.
      await store.write([{ type: 'put', key: Buffer.from(`k${i}`), value: Buffer.from('v') }], {
        durable: kind === 'durable',
      });
      if (kind?.endsWith('-range')) {
        await store.write([{ type: 'delRange', key: Buffer.from(`k${i}`), end: Buffer.from(`k${i}~`) }], {
          durable: kind === 'durable-range',
        });
      }
    }
    await store.close();
    process.stdout.write('done\n');
    return;
  }
  const run = `${process.pid}-${Date.now()}`;
  let seq = 0;
  // Several batches in flight at once, so kills land mid group-commit as well as between.
  const writer = async (lane: number) => {
    for (;;) {
      const keys = Array.from({ length: 5 }, () => `${run}/${lane}/${String(seq++).padStart(8, '0')}`);
      await store.write(
        keys.map((k) => ({ type: 'put', key: Buffer.from(k), value: Buffer.from(`v:${k}`) }) as const),
        { durable: true },
      );
      process.stdout.write(keys.map((k) => `ack ${k}\n`).join(''));
    }
  };
  await Promise.all([0, 1, 2, 3].map(writer));
}

main().catch((err: unknown) => {
  const code = isCoded(err) ? err.code : 'UNKNOWN';
  process.stdout.write(`error ${code} ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
