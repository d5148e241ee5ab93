/**
 * Linearizability checker: Wing & Gong's search with Lowe's improvements (as in Porcupine):
 * - just-in-time linearization: only operations called before the earliest pending return are
 *   candidates, so the search backtracks as soon as an operation's return is passed unlinearized;
 * - memoisation of (set of linearized operations, model state): a configuration already explored
 *   is never explored again;
 * - P-compositionality: when the model partitions its inputs (by key, for a KV store) each
 *   partition is checked alone, which turns one exponential search into several small ones.
 *
 * Synchronous and CPU-bound; bounded by a step count and a wall-clock budget so a pathological
 * history yields `{ ok: undefined, reason: 'timeout' }` instead of hanging a test run.
 */
import { searchPartition, type SearchOutcome } from './linearizability-search.js';

export * from './linearizability-models.js';
export * from './linearizability-history.js';

export interface Operation<I, O> {
  readonly clientId: number | string;
  readonly input: I;
  /** Ignored (and may be absent) when the operation never returned. */
  readonly output?: O;
  /** Invocation time; any monotonic clock, all operations on the same one. */
  readonly call: number;
  /** Completion time; `Infinity` when the call timed out or the client crashed: it may or may not have taken effect. */
  readonly return: number;
}

export interface StepResult<S> {
  readonly ok: boolean;
  readonly state: S;
}

export interface Model<S, I, O> {
  init(): S;
  /**
   * Apply `input` to `state` sequentially. `ok` says whether `output` is what a sequential
   * object would have returned. `output` is undefined for an operation that never returned:
   * the model must then accept any output and apply the effect the input would have had.
   * Must not mutate `state` (states are kept for backtracking).
   */
  step(state: S, input: I, output: O | undefined): StepResult<S>;
  /** Key for memoisation; default JSON.stringify. Equal states must hash equally. */
  hash?(state: S): string;
  /** Exact comparison for states whose hashes collide; default: equal hashes mean equal states. */
  equal?(a: S, b: S): boolean;
  /** Operations with different keys never interact, so each key's history is checked alone. */
  partitionKey?(input: I): string;
}

export interface CheckOptions {
  /** Wall-clock budget for the whole check. Default 10 s: far above what test histories need, short enough for CI. */
  readonly timeoutMs?: number;
  /** Budget of search steps (step() calls plus backtracks). Default 20 million. */
  readonly maxSteps?: number;
}

export interface Counterexample<I, O> {
  /** The partition key (or undefined when the model does not partition). */
  readonly partitionKey?: string;
  /** The history of the failing partition, in call order. */
  readonly operations: readonly Operation<I, O>[];
  /** The longest prefix the search managed to linearize, in linearization order. */
  readonly longestLinearization: readonly Operation<I, O>[];
  /** Completed operations of the partition that are not in that prefix; one of them cannot be placed. */
  readonly notLinearized: readonly Operation<I, O>[];
}

export type CheckResult<I, O> =
  | { readonly ok: true }
  | { readonly ok: false; readonly counterexample: Counterexample<I, O> }
  | { readonly ok: undefined; readonly reason: 'timeout'; readonly partitionKey?: string };

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_STEPS = 20_000_000;

export function checkLinearizability<S, I, O>(
  model: Model<S, I, O>,
  history: readonly Operation<I, O>[],
  options: CheckOptions = {},
): CheckResult<I, O> {
  for (const op of history) {
    if (!(op.return >= op.call) || Number.isNaN(op.call)) {
      throw new Error(`operation of client ${op.clientId} returns (${op.return}) before it is called (${op.call})`);
    }
  }
  const budget = {
    deadline: Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    stepsLeft: options.maxSteps ?? DEFAULT_MAX_STEPS,
  };
  let timedOut: string | undefined | null = null;
  for (const [partitionKey, ops] of partition(model, history)) {
    const outcome: SearchOutcome = searchPartition(model, ops, budget);
    if (outcome.kind === 'timeout') {
      timedOut = partitionKey;
      break;
    }
    if (outcome.kind === 'fail') {
      const linearized = new Set(outcome.longest);
      return {
        ok: false,
        counterexample: {
          partitionKey,
          operations: ops,
          longestLinearization: outcome.longest.map((i) => ops[i]!),
          notLinearized: ops.filter((op, i) => !linearized.has(i) && op.return !== Infinity),
        },
      };
    }
  }
  if (timedOut !== null) return { ok: undefined, reason: 'timeout', partitionKey: timedOut };
  return { ok: true };
}

function partition<S, I, O>(
  model: Model<S, I, O>,
  history: readonly Operation<I, O>[],
): Map<string | undefined, Operation<I, O>[]> {
  const sorted = [...history].sort((a, b) => a.call - b.call);
  if (!model.partitionKey) return new Map([[undefined, sorted]]);
  const parts = new Map<string | undefined, Operation<I, O>[]>();
  for (const op of sorted) {
    const key = model.partitionKey(op.input);
    let list = parts.get(key);
    if (!list) parts.set(key, (list = []));
    list.push(op);
  }
  return parts;
}
