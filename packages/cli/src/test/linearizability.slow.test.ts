import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkLinearizability, kvModel } from '@proconsul/kernel/testing';
import { addServers, FAILED_LOGS_DIR, TestCluster, type ClusterNode, type PortSet } from './cluster-harness.js';
import { sleep } from './cluster-poll.js';
import { KvWorkload, type KvOp } from './kv-history-client.js';

// 127.0.2.x belongs to this file.
const PORTS: PortSet = { http: 28500, dns: -1, serfLan: 28301, serfWan: 28302, server: 28300 };
// Fixed so a failing run's workload can be replayed; the fault timing still varies with the machine.
const SEED = Number(process.env.PROCONSUL_LIN_SEED ?? 20240601);

describe('linearizability of KV under faults (3 real servers)', function () {
  this.timeout(180_000);
  let cluster: TestCluster;
  let servers: ClusterNode[];
  let failed = false;
  const timeline: string[] = [];
  let t0 = Date.now();
  const note = (s: string) => timeline.push(`${((Date.now() - t0) / 1000).toFixed(1)}s ${s}`);

  before(async () => {
    cluster = new TestCluster({ label: 'linearizability', ports: PORTS });
    servers = addServers(cluster, '127.0.2', 3, PORTS);
    for (const s of servers) s.start();
    await cluster.waitForHttp();
    await cluster.waitForLeader(servers, 45_000);
  });
  afterEach(function () {
    if (this.currentTest?.state !== 'failed') return;
    failed = true;
    console.log(`    fault timeline: ${timeline.join(' | ')}`);
  });
  after(async () => {
    await cluster?.cleanup(failed, 'linearizability');
  });

  it('put / get / get?consistent / cas / delete stay linearizable through kill -9, restart, SIGSTOP of a follower and of the leader', async () => {
    const workload = new KvWorkload({
      keys: ['lin/a', 'lin/b', 'lin/c'],
      clients: 5,
      maxOps: 4000,
      opTimeoutMs: 3000,
      seed: SEED,
      // Clients keep addressing every server, dead or paused ones included: that is the point.
      nodes: () => servers,
    });
    t0 = Date.now();
    note('workload start');
    workload.start();
    try {
      await faultSchedule(cluster, servers, note);
    } finally {
      await workload.stop();
      note('workload stopped');
    }
    const history = workload.history;
    const ops = summarize(history);
    console.log(`    faults: ${timeline.join(' | ')}`);
    console.log(`    history: ${JSON.stringify(ops)} stats: ${JSON.stringify(workload.stats)}`);
    // The run must have exercised the system, or a "linearizable" verdict means nothing.
    expect(ops.completed.get, 'completed reads').to.be.greaterThan(50);
    expect(ops.completed.put, 'completed puts').to.be.greaterThan(20);
    expect(ops.completed.casTrue, 'successful CAS').to.be.greaterThan(5);
    const t = Date.now();
    const result = checkLinearizability(kvModel(), history, { timeoutMs: 60_000 });
    console.log(`    checker: ${result.ok} in ${Date.now() - t} ms`);
    if (result.ok !== true) saveHistory(history, result);
    expect(result.ok === false ? describeCounterexample(result.counterexample) : result.ok, 'linearizable').to.equal(true);
    // The same history with one read answered by a value nobody wrote must be rejected: proves the
    // verdict above came from a check that could fail on this very history.
    const i = history.findIndex((op) => op.input.op === 'get' && op.return !== Infinity && op.output !== null);
    const forged = history.map((op, j) => (j === i ? { ...op, output: 'never-written' } : op));
    expect(checkLinearizability(kvModel(), forged, { timeoutMs: 60_000 }).ok).to.equal(false);
  });
});

/** Kill -9 and restart the leader, then SIGSTOP/SIGCONT a follower, then the leader (~25 s). */
async function faultSchedule(cluster: TestCluster, servers: ClusterNode[], note: (s: string) => void): Promise<void> {
  await sleep(3000);
  const leader1 = await cluster.waitForLeader(servers, 20_000);
  note(`kill -9 leader ${leader1.name}`);
  await leader1.kill('SIGKILL');
  await sleep(3000);
  note(`restart ${leader1.name}`);
  leader1.start();
  await cluster.waitForLeader(servers, 40_000);
  note('leader agreed by all three');
  await sleep(2000);
  const leader2 = await cluster.waitForLeader(servers, 20_000);
  const follower = servers.find((s) => s !== leader2)!;
  note(`SIGSTOP follower ${follower.name}`);
  follower.pause();
  await sleep(4000);
  note(`SIGCONT ${follower.name}`);
  follower.resume();
  await cluster.waitForLeader(servers, 30_000);
  await sleep(2000);
  const leader3 = await cluster.waitForLeader(servers, 20_000);
  note(`SIGSTOP leader ${leader3.name}`);
  leader3.pause();
  await sleep(5000);
  note(`SIGCONT ${leader3.name}`);
  leader3.resume();
  await cluster.waitForLeader(servers, 30_000);
  note('leader agreed by all three');
  await sleep(3000);
}

function summarize(history: readonly KvOp[]) {
  const completed = { get: 0, put: 0, casTrue: 0, casFalse: 0, delete: 0 };
  let indeterminate = 0;
  for (const op of history) {
    if (op.return === Infinity) {
      indeterminate++;
      continue;
    }
    if (op.input.op === 'cas') completed[op.output === true ? 'casTrue' : 'casFalse']++;
    else completed[op.input.op]++;
  }
  return { total: history.length, indeterminate, completed };
}

function describeCounterexample(c: { partitionKey?: string; notLinearized: readonly KvOp[]; longestLinearization: readonly KvOp[] }): string {
  const tail = c.longestLinearization.slice(-8).map(fmt).join('\n    ');
  return `key ${c.partitionKey}: cannot linearize\n    ${c.notLinearized.slice(0, 5).map(fmt).join('\n    ')}\n  after\n    ${tail}`;
}

function fmt(op: KvOp): string {
  return `[${op.call.toFixed(1)}, ${op.return === Infinity ? '∞' : op.return.toFixed(1)}] client ${op.clientId} ${JSON.stringify(op.input)} -> ${JSON.stringify(op.output)}`;
}

function saveHistory(history: readonly KvOp[], result: unknown): void {
  mkdirSync(FAILED_LOGS_DIR, { recursive: true });
  const file = join(FAILED_LOGS_DIR, `linearizability-history-${Date.now()}.json`);
  const replacer = (_k: string, v: unknown) => (v === Infinity ? 'Infinity' : v);
  writeFileSync(file, JSON.stringify({ seed: SEED, result, history }, replacer, 1));
  console.log(`    history saved to ${file}`);
}
