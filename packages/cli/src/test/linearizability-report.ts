/** Shared verdict and reporting for the linearizability suites. */
import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkLinearizability, kvModel } from '@proconsul/kernel/testing';
import { FAILED_LOGS_DIR } from './cluster-harness.js';
import type { KvOp, KvWorkload } from './kv-history-client.js';

/**
 * Assert the workload exercised the system, that its history is linearizable, and that the same
 * history with one forged read is not (so the verdict came from a check that could fail).
 */
export function checkHistory(workload: KvWorkload, timeline: readonly string[], seed: number): void {
  const history = workload.history;
  const ops = summarize(history);
  console.log(`    faults: ${timeline.join(' | ')}`);
  console.log(`    history: ${JSON.stringify(ops)} stats: ${JSON.stringify(workload.stats)}`);
  expect(ops.completed.get, 'completed reads').to.be.greaterThan(50);
  expect(ops.completed.put, 'completed puts').to.be.greaterThan(20);
  expect(ops.completed.casTrue, 'successful CAS').to.be.greaterThan(5);
  const t = Date.now();
  const result = checkLinearizability(kvModel(), history, { timeoutMs: 60_000 });
  console.log(`    checker: ${result.ok} in ${Date.now() - t} ms`);
  if (result.ok !== true) saveHistory(history, result, seed);
  if (result.ok === undefined) {
    const pending = history.filter((op) => op.input.key === result.partitionKey && op.return === Infinity).length;
    expect.fail(
      `inconclusive, not a violation: the checker ran out of budget on ${result.partitionKey} (${pending} indeterminate ops)`,
    );
  }
  expect(result.ok === false ? describeCounterexample(result.counterexample) : result.ok, 'linearizable').to.equal(true);
  const i = history.findIndex((op) => op.input.op === 'get' && op.return !== Infinity && op.output !== null);
  const forged = history.map((op, j) => (j === i ? { ...op, output: 'never-written' } : op));
  expect(checkLinearizability(kvModel(), forged, { timeoutMs: 60_000 }).ok, 'a forged read must be caught').to.equal(false);
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

function describeCounterexample(c: {
  partitionKey?: string;
  notLinearized: readonly KvOp[];
  longestLinearization: readonly KvOp[];
}): string {
  const tail = c.longestLinearization.slice(-8).map(fmt).join('\n    ');
  return `key ${c.partitionKey}: cannot linearize\n    ${c.notLinearized.slice(0, 5).map(fmt).join('\n    ')}\n  after\n    ${tail}`;
}

function fmt(op: KvOp): string {
  return `[${op.call.toFixed(1)}, ${op.return === Infinity ? '∞' : op.return.toFixed(1)}] client ${op.clientId} ${JSON.stringify(op.input)} -> ${JSON.stringify(op.output)}`;
}

function saveHistory(history: readonly KvOp[], result: unknown, seed: number): void {
  mkdirSync(FAILED_LOGS_DIR, { recursive: true });
  const file = join(FAILED_LOGS_DIR, `linearizability-history-${Date.now()}.json`);
  const replacer = (_k: string, v: unknown) => (v === Infinity ? 'Infinity' : v);
  writeFileSync(file, JSON.stringify({ seed, result, history }, replacer, 1));
  console.log(`    history saved to ${file}`);
}
