/**
 * Change-stream fan-out against blocking queries: `npm run bench:stream` (the npm script raises
 * the fd limit). One server agent (memory engine, -bootstrap) on 127.0.78.1.
 * 1. SUBSCRIBERS clients open `/v1/stream?topic=kv&prefix=app/` and take their snapshot; the
 *    agent's RSS growth over that is reported per subscriber. One PUT under the prefix: the
 *    delivery delay to each subscriber (from just before the PUT was sent), p50/p99/max.
 * 2. The same with SUBSCRIBERS blocking GET /v1/kv/app/?recurse&index=N&wait=60s.
 * Bounded: fixed counts and a time cap on every phase.
 */
import {
  benchCleanup,
  benchEnvironment,
  benchTempDir,
  fmt,
  httpRequest,
  printTable,
  rssBytes,
  startAgent,
  stopAgents,
  summarize,
  waitFor,
  waitForLeader,
} from '@proconsul/kernel/testing';
import { openBlockedClients } from './blocked-clients.js';
import { openSseClients } from './sse-clients.js';

const IP = '127.0.78.1';
const SUBSCRIBERS = Number(process.env['STREAM_BENCH_SUBSCRIBERS'] ?? 10_000);
const KEYS = 10;
const CAP_MS = 20_000;

async function put(url: string, key: string, value: string): Promise<string> {
  const r = await httpRequest(`${url}/v1/kv/${key}`, { method: 'PUT', body: value, timeoutMs: 30_000 });
  if (r.status !== 200) throw new Error(`PUT ${key}: ${r.status}`);
  return r.headers.get('x-consul-index') ?? '0';
}

const settle = () => new Promise((r) => setTimeout(r, 2000));

async function main(): Promise<void> {
  console.log(benchEnvironment());
  const dir = await benchTempDir('stream');
  const agent = await startAgent({ name: 'stream-s1', ip: IP, dir, server: true, bootstrap: true, engine: 'memory' });
  const rows: string[][] = [];
  try {
    await waitForLeader([agent]);
    const url = agent.httpUrl;
    const port = Number(new URL(url).port);
    for (let i = 0; i < KEYS; i++) await put(url, `app/k${i}`, `v${i}`);
    const pid = agent.proc.pid;

    // 1. Streams.
    await settle();
    const rss0 = rssBytes(pid);
    const t0Open = performance.now();
    const streams = openSseClients(IP, port, '/v1/stream?topic=kv&prefix=app/', SUBSCRIBERS);
    try {
      await Promise.race([streams.ready, new Promise((r) => setTimeout(r, 120_000).unref())]);
      const openS = (performance.now() - t0Open) / 1000;
      await settle();
      const rss1 = rssBytes(pid);
      streams.expect('app/stream-write');
      const t0 = performance.now();
      await put(url, 'app/stream-write', 'x');
      await waitFor(
        'every stream to deliver',
        async () => (streams.delivered.length >= SUBSCRIBERS - streams.failures.length ? true : undefined),
        CAP_MS,
        20,
      ).catch(() => undefined);
      const s = summarize(streams.delivered.map((t) => t - t0));
      rows.push([
        `/v1/stream (opened in ${fmt(openS, 1)} s)`,
        fmt(streams.delivered.length),
        fmt(streams.failures.length),
        fmt(s.p50, 1),
        fmt(s.p99, 1),
        fmt(s.max, 1),
        fmt((rss1 - rss0) / SUBSCRIBERS / 1024, 1),
      ]);
      if (streams.failures.length) console.log(`stream failures: ${streams.failures.length}, first: ${streams.failures[0]}`);
    } finally {
      streams.close();
    }

    // 2. Blocking queries on the same prefix.
    await settle();
    const before = await httpRequest(`${url}/v1/kv/app/?recurse`);
    const index = before.headers.get('x-consul-index');
    const rss2 = rssBytes(pid);
    const t0Park = performance.now();
    const clients = openBlockedClients(IP, port, `/v1/kv/app/?recurse&index=${index}&wait=60s`, SUBSCRIBERS);
    try {
      await clients.parked;
      const parkS = (performance.now() - t0Park) / 1000;
      await settle();
      const rss3 = rssBytes(pid);
      const early = clients.answers.length;
      const t0 = performance.now();
      await put(url, 'app/blocking-write', 'y');
      await waitFor(
        'every watcher to answer',
        async () => (clients.answers.length + clients.failures.length >= SUBSCRIBERS ? true : undefined),
        CAP_MS,
        20,
      ).catch(() => undefined);
      const late = clients.answers.slice(early);
      const s = summarize(late.map((a) => a.at - t0));
      rows.push([
        `blocking GET ?recurse&index (parked in ${fmt(parkS, 1)} s)`,
        fmt(late.length),
        fmt(clients.failures.length + early),
        fmt(s.p50, 1),
        fmt(s.p99, 1),
        fmt(s.max, 1),
        fmt((rss3 - rss2) / SUBSCRIBERS / 1024, 1),
      ]);
    } finally {
      clients.close();
    }
    printTable(
      `One PUT under app/ fanned out to ${fmt(SUBSCRIBERS)} watchers of the prefix, 1 server (memory engine), ${KEYS} keys`,
      [' watchers', 'delivered', 'failed', 'p50 ms', 'p99 ms', 'max ms', 'server RSS KiB/watcher'],
      rows,
    );
    console.log(
      'A blocking watcher must re-issue its query after every answer (one more round trip per change and per watcher);\n' +
        'a stream subscriber keeps its connection and receives only the changed entry.',
    );
  } finally {
    await stopAgents([agent]);
    benchCleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
