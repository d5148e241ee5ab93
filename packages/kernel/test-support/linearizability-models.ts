import type { Model } from './linearizability.js';

/**
 * Sequential specifications for the linearizability checker. Outputs of operations that never
 * returned arrive as `undefined`: the model then applies the input's effect and accepts any output.
 */

export type RegisterInput<V> =
  | { readonly op: 'read' }
  | { readonly op: 'write'; readonly value: V }
  | { readonly op: 'cas'; readonly from: V; readonly to: V };

/** read → the value; cas → whether it swapped; write → ignored. */
export type RegisterOutput<V> = V | boolean | undefined;

/** One register holding `initial` until written. */
export function registerModel<V>(initial: V): Model<V, RegisterInput<V>, RegisterOutput<V>> {
  return {
    init: () => initial,
    step(state, input, output) {
      switch (input.op) {
        case 'read':
          return { ok: output === undefined || sameValue(output, state), state };
        case 'write':
          return { ok: true, state: input.value };
        case 'cas': {
          const swaps = sameValue(state, input.from);
          return { ok: output === undefined || output === swaps, state: swaps ? input.to : state };
        }
      }
    },
  };
}

/** A key's value; null when absent. */
export type KvValue = string | null;

export type KvInput =
  | { readonly op: 'get'; readonly key: string }
  | { readonly op: 'put'; readonly key: string; readonly value: string }
  /** Swap only when the current value is `from` (null: only when absent). */
  | { readonly op: 'cas'; readonly key: string; readonly from: KvValue; readonly to: string }
  | { readonly op: 'delete'; readonly key: string };

/** get → the value or null; cas → whether it swapped; put/delete → ignored. */
export type KvOutput = KvValue | boolean | undefined;

/**
 * A key/value map, checked one key at a time: keys never interact, so the state is the value of
 * the one key a partition holds (partitionKey makes the checker split the history).
 */
export function kvModel(): Model<KvValue, KvInput, KvOutput> {
  return {
    init: () => null,
    partitionKey: (input) => input.key,
    hash: (state) => (state === null ? '\u0000null' : `s${state}`),
    step(state, input, output) {
      switch (input.op) {
        case 'get':
          return { ok: output === undefined || output === state, state };
        case 'put':
          return { ok: true, state: input.value };
        case 'delete':
          return { ok: true, state: null };
        case 'cas': {
          const swaps = state === input.from;
          return { ok: output === undefined || output === swaps, state: swaps ? input.to : state };
        }
      }
    },
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
