import type { KvInput, KvOutput, KvValue } from './linearizability-models.js';
import type { Operation } from './linearizability.js';
import { seededRandom } from './seeded-random.js';

export { seededRandom };

export interface SimulatedKvOptions {
  readonly seed: number;
  readonly operations: number;
  readonly clients: number;
  readonly keys: number;
  /** Fraction of operations that never return (half of those still take effect). Default 0. */
  readonly pendingRate?: number;
}

/**
 * A KV history that is linearizable by construction: each operation gets a linearization point
 * inside its [call, return] interval and outputs come from applying the operations to a
 * sequential map in that order. Clients are sequential (an operation starts after the client's
 * previous one returned) and overlap each other.
 */
export function simulateKvHistory(opts: SimulatedKvOptions): Operation<KvInput, KvOutput>[] {
  const rand = seededRandom(opts.seed);
  const pick = (n: number) => Math.floor(rand() * n);
  const cursors = new Array<number>(opts.clients).fill(0);
  const planned: Array<{ op: Operation<KvInput, KvOutput>; at: number; pending: boolean; applies: boolean }> = [];
  for (let i = 0; i < opts.operations; i++) {
    const clientId = pick(opts.clients);
    const call = cursors[clientId]! + pick(5);
    const ret = call + 1 + pick(20);
    cursors[clientId] = ret;
    const pending = rand() < (opts.pendingRate ?? 0);
    planned.push({
      op: { clientId, input: randomInput(rand, opts.keys, i), call, return: pending ? Infinity : ret },
      at: call + rand() * (ret - call),
      pending,
      applies: !pending || rand() < 0.5,
    });
  }
  const store = new Map<string, KvValue>();
  const history: Operation<KvInput, KvOutput>[] = [];
  for (const p of [...planned].sort((a, b) => a.at - b.at)) {
    const output = p.applies ? applyKv(store, p.op.input) : undefined;
    history.push(p.pending ? p.op : { ...p.op, output });
  }
  return history.sort((a, b) => a.call - b.call);
}

function randomInput(rand: () => number, keys: number, seq: number): KvInput {
  const key = `k${Math.floor(rand() * keys)}`;
  const r = rand();
  if (r < 0.45) return { op: 'get', key };
  if (r < 0.75) return { op: 'put', key, value: `v${seq}` };
  if (r < 0.9) return { op: 'cas', key, from: rand() < 0.3 ? null : `v${Math.floor(rand() * seq)}`, to: `c${seq}` };
  return { op: 'delete', key };
}

function applyKv(store: Map<string, KvValue>, input: KvInput): KvOutput {
  const current = store.get(input.key) ?? null;
  switch (input.op) {
    case 'get':
      return current;
    case 'put':
      store.set(input.key, input.value);
      return undefined;
    case 'delete':
      store.delete(input.key);
      return undefined;
    case 'cas':
      if (current !== input.from) return false;
      store.set(input.key, input.to);
      return true;
  }
}
