/**
 * Catalog write rate, health read throughput and blocking-query fan-out on one server:
 * `npm run bench:catalog` (the npm script raises the fd limit for the 5,000 watchers).
 * One server agent (memory engine, -bootstrap) on 127.0.74.1.
 * 1. Register INSTANCES service instances via PUT /v1/catalog/register, REG_CONCURRENCY at a time.
 * 2. GET /v1/health/service/<svc> (100 instances) at 1 and 64 connections (autocannon).
 * 3. WATCHERS clients block on /v1/health/service/web?index=N&wait=60s; one registration
 *    then changes "web": how many answer within 1 s, and the wake-up delay distribution
 *    (from just before the registration was sent to each answer's arrival).
 * Bounded: fixed counts plus time caps on every phase.
 */
import {
  benchCleanup,
  benchEnvironment,
  benchTempDir,
  closedLoop,
  fmt,
  httpRequest,
  printTable,
  startAgent,
  stopAgents,
  summarize,
  waitFor,
  waitForLeader,
} from '@proconsul/kernel/testing';
import { runLoad } from './autocannon-runner.js';
import { openBlockedClients } from './blocked-clients.js';

const IP = '127.0.74.1';
const INSTANCES = 10_000;
const NODES = 1_000;
const SERVICES = 100; // INSTANCES / SERVICES = 100 instances per service
const REG_CONCURRENCY = 32;
const REG_MAX_MS = 180_000;
const READ_S = 5;
const WATCHERS = 5_000;
const WEB_INSTANCES = 10;
const WAKE_CAP_MS = 15_000;

function registration(i: number, service: string, id: string): string {
  const n = i % NODES;
  return JSON.stringify({
    Node: `node-${n}`,
    Address: `10.0.${n >> 8}.${n & 255}`,
    Service: { ID: id, Service: service, Port: 8000 + (i % 1000), Tags: ['v1'] },
  });
}

async function register(url: string, body: string): Promise<void> {
  const r = await httpRequest(`${url}/v1/catalog/register`, { method: 'PUT', body, timeoutMs: 30_000 });
  if (r.status !== 200) throw new Error(`register: ${r.status} ${r.body.slice(0, 200)}`);
}

async function main(): Promise<void> {
  console.log(benchEnvironment());
  const dir = await benchTempDir('catalog');
  const agent = await startAgent({ name: 'cat-s1', ip: IP, dir, server: true, bootstrap: true, engine: 'memory' });
  try {
    await waitForLeader([agent]);
    const url = agent.httpUrl;

    const reg = await closedLoop(REG_CONCURRENCY, REG_MAX_MS, INSTANCES, (i) =>
      register(url, registration(i, `svc-${i % SERVICES}`, `svc-${i}`)),
    );
    const regLat = summarize(reg.latenciesMs);
    if (reg.firstError) console.log(`registration error: ${reg.firstError}`);
    const check = JSON.parse((await httpRequest(`${url}/v1/health/service/svc-7`)).body) as unknown[];

    const reads = [];
    for (const c of [1, 64]) {
      const r = await runLoad({
        url,
        connections: c,
        durationS: READ_S,
        method: 'GET',
        request: () => ({ path: '/v1/health/service/svc-7' }),
      });
      reads.push([
        `GET /v1/health/service/svc-7 (${check.length} instances)`,
        String(c),
        fmt(r.okPerSecond),
        fmt(r.latency.p50, 2),
        fmt(r.latency.p99, 2),
        String(r.non2xx + r.errors),
      ]);
    }

    for (let i = 0; i < WEB_INSTANCES; i++) await register(url, registration(i, 'web', `web-${i}`));
    const before = await httpRequest(`${url}/v1/health/service/web`);
    const index = before.headers.get('x-consul-index');
    if (!index) throw new Error('no X-Consul-Index on /v1/health/service/web');
    const clients = openBlockedClients(IP, 8500, `/v1/health/service/web?index=${index}&wait=60s`, WATCHERS);
    let wake: {
      woken: number;
      within1s: number;
      early: number;
      stale: number;
      first: number;
      p50: number;
      p99: number;
      max: number;
      failures: number;
    };
    try {
      await clients.parked;
      // Let the last requests reach the server's blocking wait before changing anything.
      await new Promise((r) => setTimeout(r, 2000));
      const early = clients.answers.length;
      const t0 = performance.now();
      await register(url, registration(WEB_INSTANCES, 'web', `web-${WEB_INSTANCES}`));
      await waitFor(
        'all watchers to answer',
        async () => (clients.answers.length + clients.failures.length >= WATCHERS ? true : undefined),
        WAKE_CAP_MS,
        50,
      ).catch(() => undefined);
      const late = clients.answers.slice(early);
      const delays = late.map((a) => a.at - t0);
      const s = summarize(delays);
      // An answer that does not list the new instance woke for the wrong reason.
      const stale = late.filter((a) => a.status !== 200 || (JSON.parse(a.body) as unknown[]).length !== WEB_INSTANCES + 1).length;
      wake = {
        woken: late.length,
        within1s: delays.filter((d) => d <= 1000).length,
        early,
        stale,
        first: delays.length ? Math.min(...delays) : NaN,
        p50: s.p50,
        p99: s.p99,
        max: s.max,
        failures: clients.failures.length,
      };
      if (clients.failures.length) console.log(`watcher failures: ${clients.failures.length}, first: ${clients.failures[0]}`);
    } finally {
      clients.close();
    }

    printTable(
      `Catalog registration, 1 server (memory engine), ${REG_CONCURRENCY} concurrent PUT /v1/catalog/register`,
      [' phase', 'done', 'errors', 'ops/s', 'p50 ms', 'p99 ms'],
      [
        [
          `register ${INSTANCES} instances (${NODES} nodes, ${SERVICES} services)`,
          fmt(reg.ok),
          fmt(reg.errors),
          fmt(reg.ok / reg.seconds),
          fmt(regLat.p50, 2),
          fmt(regLat.p99, 2),
        ],
      ],
    );
    printTable(
      `Health reads (autocannon, ${READ_S} s each)`,
      [' endpoint', 'conns', 'ops/s', 'p50 ms', 'p99 ms', 'failed'],
      reads,
    );
    printTable(
      `Blocking-query fan-out: ${WATCHERS} watchers on /v1/health/service/web?index=N&wait=60s, then one registration`,
      [
        'watchers',
        'answered early',
        'woken',
        'woken ≤ 1 s',
        'without new instance',
        'failed',
        'first wake ms',
        'p50 wake ms',
        'p99 wake ms',
        'max wake ms',
      ],
      [
        [
          String(WATCHERS),
          String(wake.early),
          String(wake.woken),
          String(wake.within1s),
          String(wake.stale),
          String(wake.failures),
          fmt(wake.first, 1),
          fmt(wake.p50, 1),
          fmt(wake.p99, 1),
          fmt(wake.max, 1),
        ],
      ],
    );
  } finally {
    await stopAgents([agent]);
    benchCleanup();
  }
}

await main();
