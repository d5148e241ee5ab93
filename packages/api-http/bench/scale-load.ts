import { closedLoop, httpRequest, rssBytes } from '@proconsul/kernel/testing';

/** A count from the environment, such as `100k` or `1m`; `fallback` when unset. */
export function envCount(name: string, fallback: number): number {
  const text = process.env[name];
  if (!text) return fallback;
  const m = /^(\d+)\s*([km]?)$/i.exec(text.trim());
  if (!m) throw new Error(`${name}=${text}: expected a count such as 100k or 1m`);
  return Number(m[1]) * (m[2]?.toLowerCase() === 'm' ? 1_000_000 : m[2]?.toLowerCase() === 'k' ? 1_000 : 1);
}

/**
 * Distinct requests a load phase cycles through (wrk builds them all up front): more than a
 * 4 s phase sends at these rates, so even at 1M keys no key is hit twice in a phase.
 */
export const MAX_CYCLE = 100_000;
/** Time cap on loading a store. */
export const LOAD_CAP_MS = 600_000;

/** Operations per transaction: Consul's limit, and what `kv import` sends. */
export const TXN_OPS = 64;
const TXN_CONCURRENCY = 8;
export const VALUE = 'x'.repeat(100);
const VALUE_B64 = Buffer.from(VALUE).toString('base64');

/** KV key number `i`: 10,000 keys per folder, so `kv/0/` is a 10k-key prefix at every size. */
export const kvKey = (i: number) => `kv/${Math.floor(i / 10_000)}/${i}`;

export const NODES_PER_INSTANCES = 10; // 10 instances per node
export const SERVICE_NAMES = 100;
export const nodeName = (n: number) => `node-${n}`;
export const instanceNode = (i: number) => nodeName(Math.floor(i / NODES_PER_INSTANCES));
export const serviceName = (i: number) => `svc-${i % SERVICE_NAMES}`;

async function txn(url: string, ops: unknown[]): Promise<void> {
  const r = await httpRequest(`${url}/v1/txn`, { method: 'PUT', body: JSON.stringify(ops), timeoutMs: 60_000 });
  if (r.status !== 200) throw new Error(`txn: ${r.status} ${r.body.slice(0, 300)}`);
}

export interface LoadFigures {
  readonly items: number;
  readonly seconds: number;
  readonly perSecond: number;
}

/** `count` items in transactions of TXN_OPS, TXN_CONCURRENCY at once; throws on any failure. */
async function loadInTxns(url: string, count: number, capMs: number, op: (i: number) => unknown): Promise<LoadFigures> {
  const batches = Math.ceil(count / TXN_OPS);
  const r = await closedLoop(TXN_CONCURRENCY, capMs, batches, async (b) => {
    const ops = [];
    for (let i = b * TXN_OPS; i < Math.min(count, (b + 1) * TXN_OPS); i++) ops.push(op(i));
    await txn(url, ops);
  });
  if (r.errors || r.ok !== batches) throw new Error(`load: ${r.ok}/${batches} txns in ${capMs} ms; ${r.firstError ?? ''}`);
  return { items: count, seconds: r.seconds, perSecond: count / r.seconds };
}

/** `count` KV keys of 100 B (kvKey(0) … kvKey(count-1)). */
export function loadKv(url: string, count: number, capMs: number): Promise<LoadFigures> {
  return loadInTxns(url, count, capMs, (i) => ({ KV: { Verb: 'set', Key: kvKey(i), Value: VALUE_B64 } }));
}

/** The nodes, then `count` service instances on them (10 per node, 100 service names). */
export async function loadInstances(url: string, count: number, capMs: number): Promise<LoadFigures> {
  const t0 = performance.now();
  const nodes = Math.ceil(count / NODES_PER_INSTANCES);
  await loadInTxns(url, nodes, capMs, (n) => ({
    Node: { Verb: 'set', Node: { Node: nodeName(n), Address: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` } },
  }));
  await loadInTxns(url, count, capMs, (i) => ({
    Service: { Verb: 'set', Node: instanceNode(i), Service: instance(i) },
  }));
  const seconds = (performance.now() - t0) / 1000;
  return { items: count, seconds, perSecond: count / seconds };
}

export function instance(i: number, port = 8000 + (i % 1000)): Record<string, unknown> {
  return { ID: `inst-${i}`, Service: serviceName(i), Port: port, Tags: ['v1'] };
}

/** Highest RSS of `pid` seen while `work` runs (sampled every 10 ms), and the work's result. */
export async function peakRssDuring<T>(pid: number, work: () => Promise<T>): Promise<{ value: T; peak: number }> {
  let peak = rssBytes(pid);
  const timer = setInterval(() => {
    const now = rssBytes(pid);
    if (now > peak) peak = now;
  }, 10);
  try {
    const value = await work();
    peak = Math.max(peak, rssBytes(pid));
    return { value, peak };
  } finally {
    clearInterval(timer);
  }
}
