import dgram from 'node:dgram';
import { NullLogger } from '@proconsul/kernel';
import { DnsServer } from '../dist/dns-server.js';
import { FakeDataSource } from '../dist/test-support/fake-data-source.js';
import { queryPacket } from '../dist/test-support/dns-test-client.js';
import { testRuntimeConfig } from '../dist/test-support/test-config.js';

/**
 * UDP query throughput and latency of the in-process DNS server against a fake catalog.
 * Each scenario is bounded by a query count and a wall-clock budget, whichever ends first.
 * Run: npm run bench:dns
 */
const MAX_QUERIES = 30000;
const MAX_SECONDS = 5;
// Outstanding queries: enough to keep both cores busy without overflowing socket buffers.
const WINDOW = 32;

interface Result {
  readonly scenario: string;
  readonly queries: number;
  readonly lost: number;
  readonly qps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

function catalog(instances: number): FakeDataSource {
  const s = new FakeDataSource();
  for (let i = 0; i < instances; i++) {
    s.addNode({ Node: `node-${i}`, Address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` });
    s.addService(`node-${i}`, { Service: 'web', Port: 8080, Tags: ['v1'] }, ['passing']);
  }
  return s;
}

async function run(scenario: string, instances: number, qtype: string): Promise<Result> {
  const server = new DnsServer(catalog(instances), testRuntimeConfig({ dnsPort: 0 }), new NullLogger());
  await server.start();
  const address = server.addresses()[0]!;
  const port = Number(address.slice(address.lastIndexOf(':') + 1));
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  const latencies: number[] = [];
  const pending = new Map<number, bigint>();
  let sent = 0;
  let lost = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + MAX_SECONDS * 1000;
  await new Promise<void>((resolve) => {
    const sendOne = () => {
      if (sent >= MAX_QUERIES || Date.now() > deadline) {
        if (pending.size === 0) resolve();
        return;
      }
      const id = sent++ & 0xffff;
      pending.set(id, process.hrtime.bigint());
      socket.send(queryPacket('web.service.consul', qtype, { id }), port, '127.0.0.1');
    };
    socket.on('message', (msg) => {
      const id = msg.readUInt16BE(0);
      const t0 = pending.get(id);
      if (t0 === undefined) return;
      pending.delete(id);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      sendOne();
    });
    // A lost datagram would shrink the window forever; re-fill it periodically.
    const refill = setInterval(() => {
      const now = process.hrtime.bigint();
      for (const [id, t0] of pending) {
        if (Number(now - t0) / 1e6 > 1000) {
          pending.delete(id);
          lost++;
          sendOne();
        }
      }
      if (Date.now() > deadline + 2000) {
        lost += pending.size;
        pending.clear();
        resolve();
      }
    }, 200);
    socket.once('close', () => clearInterval(refill));
    for (let i = 0; i < WINDOW; i++) sendOne();
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  socket.close();
  await server.stop();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] ?? NaN;
  return { scenario, queries: latencies.length, lost, qps: latencies.length / seconds, p50Ms: pct(50), p99Ms: pct(99) };
}

const results: Result[] = [];
for (const [instances, qtype] of [
  [10, 'A'],
  [1000, 'A'],
  [10, 'SRV'],
  [1000, 'SRV'],
] as const) {
  results.push(await run(`${qtype} web.service (${instances} instances)`, instances, qtype));
}
console.log(`DNS over UDP, in-process server, window ${WINDOW}, ≤${MAX_QUERIES} queries or ${MAX_SECONDS}s each`);
console.log('| scenario | queries | lost | qps | p50 ms | p99 ms |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of results) {
  console.log(
    `| ${r.scenario} | ${r.queries} | ${r.lost} | ${Math.round(r.qps)} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} |`,
  );
}
