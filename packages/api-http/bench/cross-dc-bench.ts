/**
 * Cross-datacenter read latency against an injected WAN round trip: `npm run bench:cross-dc`.
 * Two datacenters of one server each (127.0.76.1 in dc1, 127.0.76.2 in dc2). dc2's server
 * advertises its WAN address as 127.0.76.12, where a userspace delay proxy (this machine's
 * kernel has no netem) relays its server port and WAN gossip port with a fixed one-way
 * delay, so every dc1 → dc2 exchange pays the injected round trip. For each delay, sequential
 * `GET /v1/kv/…?dc=dc2` through dc1's HTTP API; the local read on dc1 is the baseline.
 * A forward over an open connection should cost one injected round trip on top of a local
 * read; the last column says how many it actually cost.
 * Bounded: a fixed number of requests per phase, each with a timeout; everything stops at exit.
 */
import {
  benchCleanup,
  benchEnvironment,
  benchTempDir,
  fmt,
  httpRequest,
  printTable,
  startAgent,
  stopAgents,
  summarize,
  waitFor,
  type RunningAgent,
} from '@proconsul/kernel/testing';
import { DelayProxy } from './delay-proxy.js';

const S1 = '127.0.76.1';
const S2 = '127.0.76.2';
const S2_WAN = '127.0.76.12';
const ONE_WAY_MS = [0, 5, 15, 30];
const REQUESTS = 200;
const WARMUP = 20;

async function latencies(url: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await httpRequest(url, { timeoutMs: 10_000 });
    if (r.status !== 200) throw new Error(`GET ${url}: ${r.status} ${r.body}`);
    out.push(performance.now() - t0);
  }
  return out;
}

async function main(): Promise<void> {
  console.log(benchEnvironment());
  const dir = await benchTempDir('cross-dc');
  const proxy = new DelayProxy(S2_WAN, S2);
  await proxy.listenTcp(8300);
  await proxy.listenTcp(8302);
  await proxy.listenUdp(8302);
  const agents: RunningAgent[] = [];
  try {
    agents.push(await startAgent({ name: 'xdc-s1', ip: S1, dir, server: true, bootstrapExpect: 1 }));
    agents.push(
      await startAgent({
        name: 'xdc-s2',
        ip: S2,
        dir,
        server: true,
        bootstrapExpect: 1,
        extraArgs: ['-datacenter', 'dc2', '-advertise-wan', S2_WAN],
      }),
    );
    const [s1, s2] = agents as [RunningAgent, RunningAgent];
    await waitFor(
      'WAN join',
      async () => {
        const r = await httpRequest(`${s1.httpUrl}/v1/agent/join/${S2_WAN}?wan=1`, { method: 'PUT' });
        return r.status === 200 ? true : undefined;
      },
      30_000,
      500,
    );
    await waitFor(
      'dc2 known to dc1',
      async () => {
        const r = await httpRequest(`${s1.httpUrl}/v1/catalog/datacenters`);
        return r.body.includes('dc2') ? true : undefined;
      },
      30_000,
      250,
    );
    for (const [a, key] of [
      [s1, 'local'],
      [s2, 'remote'],
    ] as const) {
      await waitFor(
        `a write on ${a.name}`,
        async () => {
          const r = await httpRequest(`${a.httpUrl}/v1/kv/bench/${key}`, { method: 'PUT', body: 'x'.repeat(100) });
          return r.body.trim() === 'true' ? true : undefined;
        },
        30_000,
        250,
      );
    }
    const local = summarize(await latencies(`${s1.httpUrl}/v1/kv/bench/local`, REQUESTS));
    const rows: string[][] = [['local (dc1)', '—', fmt(local.p50, 2), fmt(local.p99, 2), '—', '—']];
    for (const oneWay of ONE_WAY_MS) {
      proxy.oneWayMs = oneWay;
      const url = `${s1.httpUrl}/v1/kv/bench/remote?dc=dc2`;
      await latencies(url, WARMUP);
      const s = summarize(await latencies(url, REQUESTS));
      const rtt = 2 * oneWay;
      const over = s.p50 - local.p50;
      console.log(`  injected RTT ${rtt} ms: p50 ${fmt(s.p50, 2)} ms, p99 ${fmt(s.p99, 2)} ms`);
      rows.push(['?dc=dc2', String(rtt), fmt(s.p50, 2), fmt(s.p99, 2), fmt(over, 2), rtt > 0 ? `${fmt(over / rtt, 2)}×` : '—']);
    }
    printTable(
      `Cross-datacenter KV read through dc1's HTTP API (${REQUESTS} sequential requests per row, ms)`,
      ['read', 'injected RTT', 'p50', 'p99', 'p50 over local', 'round trips paid'],
      rows,
    );
  } finally {
    proxy.close();
    await stopAgents(agents);
  }
}

main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => benchCleanup());
