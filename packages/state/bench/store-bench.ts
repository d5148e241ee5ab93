/**
 * State store benchmark: `npm run bench:store` (run with --expose-gc for clean memory numbers).
 * Everything is in memory: the FSM applies pre-encoded log entries, as raft would.
 * Bounded: fixed operation counts, no network.
 */
import type { Command } from '@proconsul/kernel';
import { encodeCommand, StateFsm, StateStore, WatchSet } from '@proconsul/state';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const rows: [string, string][] = [];
const row = (name: string, value: string) => {
  rows.push([name, value]);
  console.log(`  ${name}: ${value}`);
};

function applyAll(fsm: StateFsm, entries: Uint8Array[], firstIndex: number): number {
  const t0 = performance.now();
  entries.forEach((e, i) => fsm.apply(firstIndex + i, e));
  return performance.now() - t0;
}

function kvEntries(n: number, prefix: string): Uint8Array[] {
  const value = Buffer.alloc(64, 'x');
  return Array.from({ length: n }, (_, i) => encodeCommand({ v: 1, type: 'kv-set', Key: `${prefix}${i}`, Value: value }));
}

function benchApply(): void {
  const fsm = new StateFsm(new StateStore());
  const kv = kvEntries(200_000, 'bench/key/');
  const kvMs = applyAll(fsm, kv, 1);
  row('KV set via FSM (200k, 64 B values)', `${Math.round(200_000 / (kvMs / 1000)).toLocaleString()} ops/s`);
  const regs = Array.from({ length: 20_000 }, (_, i): Command => ({
    v: 1,
    type: 'register',
    Node: `node-${i % 2_000}`,
    Address: `10.0.${(i % 2_000) >> 8}.${i % 256}`,
    Service: { Service: `svc-${i % 50}`, ID: `svc-${i}`, Port: 8000 + (i % 100), Tags: ['v1'] },
    Checks: [{ CheckID: `chk-${i}`, Name: 'alive', ServiceID: `svc-${i}`, Status: 'passing' }],
    now: 0,
  }));
  const regMs = applyAll(fsm, regs.map(encodeCommand), 1_000_000);
  row('catalog register via FSM (20k, node+service+check)', `${Math.round(20_000 / (regMs / 1000)).toLocaleString()} ops/s`);
}

async function benchSnapshot(): Promise<void> {
  const N = 1_000_000;
  let store = new StateStore();
  const value = Buffer.alloc(32, 'v');
  for (let i = 0; i < N; i++) store.apply(i + 1, { v: 1, type: 'kv-set', Key: `app/config/${i.toString(36)}/k`, Value: value });
  gc();
  const baseRss = process.memoryUsage().rss;
  row('RSS with 1M keys loaded', mb(baseRss));
  let fsm = new StateFsm(store);
  let peak = baseRss;
  const t0 = performance.now();
  const snap = fsm.snapshot();
  const takeMs = performance.now() - t0;
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const c of snap.chunks()) {
    chunks.push(c);
    bytes += c.length;
    if (chunks.length % 64 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  const writeMs = performance.now() - t0;
  snap.release();
  row('snapshot() of 1M keys (O(1) clone)', `${takeMs.toFixed(2)} ms`);
  row('snapshot stream of 1M keys', `${writeMs.toFixed(0)} ms, ${mb(bytes)} in ${chunks.length} chunks`);
  // Drop the source store so restore's peak reflects a follower installing a snapshot.
  store = undefined as unknown as StateStore;
  fsm = new StateFsm(new StateStore());
  gc();
  const before = process.memoryUsage().rss;
  const t1 = performance.now();
  let seen = 0;
  await fsm.restore(
    (async function* () {
      for (const c of chunks) {
        if (++seen % 64 === 0) peak = Math.max(peak, process.memoryUsage().rss);
        yield c;
      }
    })(),
  );
  const restoreMs = performance.now() - t1;
  peak = Math.max(peak, process.memoryUsage().rss);
  row('restore of 1M keys', `${restoreMs.toFixed(0)} ms (RSS before ${mb(before)})`);
  row('peak RSS during snapshot+restore', mb(peak));
  if (fsm.store.kv.list('app/config/0/').value.length !== 1) throw new Error('restore lost data');
}

function writeRate(store: StateStore, firstIndex: number, n: number): number {
  const value = Buffer.from('x');
  const t0 = performance.now();
  for (let i = 0; i < n; i++) store.apply(firstIndex + i, { v: 1, type: 'kv-set', Key: `hot/key/${i % 1000}`, Value: value });
  return (performance.now() - t0) / n;
}

async function benchWatchers(): Promise<void> {
  const store = new StateStore();
  store.apply(1, { v: 1, type: 'kv-set', Key: 'other/key', Value: null });
  writeRate(store, 10, 100_000); // warm up
  const bareBefore = writeRate(store, 200_000, 100_000);
  const waits: Promise<boolean>[] = [];
  for (let i = 0; i < 10_000; i++) {
    const ws = new WatchSet();
    store.kv.get('other/key', ws);
    waits.push(ws.wait(120_000));
  }
  const loaded = Math.min(writeRate(store, 300_000, 100_000), writeRate(store, 400_000, 100_000));
  const t0 = performance.now();
  store.apply(500_000, { v: 1, type: 'kv-set', Key: 'other/key', Value: null });
  const woken = (await Promise.all(waits)).filter(Boolean).length;
  const wakeMs = performance.now() - t0;
  // Bare rate measured before and after the loaded runs (JIT/GC state drifts); keep the best.
  const bare = Math.min(bareBefore, writeRate(store, 600_000, 100_000));
  row('KV write, 0 watchers', `${(bare * 1000).toFixed(2)} µs`);
  row('KV write, 10,000 watchers on another key', `${(loaded * 1000).toFixed(2)} µs`);
  row('ratio (target < 1.5x)', `${(loaded / bare).toFixed(2)}x`);
  row('wake 10,000 watchers of one key', `${woken} woken in ${wakeMs.toFixed(1)} ms; registry left: ${store.watches.size}`);
}

async function main(): Promise<void> {
  console.log('state store benchmark (in memory, single thread)');
  benchApply();
  gc();
  await benchWatchers();
  gc();
  await benchSnapshot();
  const width = Math.max(...rows.map(([n]) => n.length));
  console.log(`\n| ${'measure'.padEnd(width)} | result`);
  console.log(`|${'-'.repeat(width + 2)}|-------`);
  for (const [n, v] of rows) console.log(`| ${n.padEnd(width)} | ${v}`);
}

await main();
