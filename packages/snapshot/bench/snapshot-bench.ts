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
import { HttpEndpoint, Kernel, NullLogger, type HttpRequest } from '@proconsul/kernel';
import { buildRuntimeConfig } from '@proconsul/config';
import { openArchive, writeArchive, type ArchiveHeader } from '@proconsul/snapshot-archive';
import { serverModule } from '@proconsul/server';
import { StateImageService, StateStore } from '@proconsul/state';
import { directConsensusPlugin } from '@proconsul/kernel/testing';
import snapshotPlugin from '../dist/index.js';

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

/** A dev server (direct consensus, no raft) with the snapshot plugin; its /v1/snapshot handlers called without sockets. */
async function agent(): Promise<{ kernel: Kernel; store: StateStore; endpoint: (m: 'GET' | 'PUT') => HttpEndpoint }> {
  const config = buildRuntimeConfig({ dev: true, sources: [], warn: () => {} });
  const kernel = Kernel.fromPlugins([{ plugin: directConsensusPlugin }, { plugin: snapshotPlugin }], {
    config: { ...config, ports: { ...config.ports, http: -1 } },
    logger: new NullLogger(),
    coreModules: [serverModule()],
  });
  await kernel.start();
  const endpoints = kernel.container.getAll<HttpEndpoint>(HttpEndpoint).filter((e) => e.path === '/v1/snapshot');
  return { kernel, store: kernel.container.get(StateStore), endpoint: (m) => endpoints.find((e) => e.method === m)! };
}

function request(method: 'GET' | 'PUT', bodyStream?: AsyncIterable<Buffer>): HttpRequest {
  return {
    method,
    path: '/v1/snapshot',
    params: {},
    query: new URLSearchParams(),
    headers: {},
    body: Buffer.alloc(0),
    ...(bodyStream && { bodyStream }),
    token: undefined,
    signal: new AbortController().signal,
  };
}

/** The same through the plugin: GET/PUT /v1/snapshot handlers, 1 MiB transfer RPCs, raft-less install. */
async function runEndpoints(n: number, dir: string): Promise<void> {
  const source = await agent();
  const value = Buffer.alloc(64, 'v');
  for (let i = 0; i < n; i++) source.store.apply(i + 1, { v: 1, type: 'kv-set', Key: `bench/${i}`, Value: value });
  const file = join(dir, `endpoint-${n}.snap`);
  const save = await measure(async () => {
    const res = await source.endpoint('GET').handle(request('GET'));
    await pipeline(res.body as Readable, createWriteStream(file));
  });
  await source.kernel.stop();
  const target = await agent();
  const restore = await measure(async () => {
    const res = await target.endpoint('PUT').handle(request('PUT', createReadStream(file, { highWaterMark: 64 * 1024 })));
    return Number(res.headers?.['X-Consul-Index']);
  });
  const keys = target.store.kv.list('bench/').value.length;
  await target.kernel.stop();
  if (keys !== n) throw new Error(`restored ${keys} keys through the endpoint, wanted ${n}`);
  console.log(
    `${String(n).padStart(8)} keys  via /v1/snapshot handlers     ` +
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
    await runEndpoints(n, dir);
    gc();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
