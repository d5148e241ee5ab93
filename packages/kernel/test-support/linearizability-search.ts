import type { Model, Operation } from './linearizability.js';

/** Shared by all partitions of one check, so the whole check respects one budget. */
export interface SearchBudget {
  readonly deadline: number;
  stepsLeft: number;
}

export type SearchOutcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'timeout' }
  /** `longest`: indices (into the partition) of the longest linearized prefix found. */
  | { readonly kind: 'fail'; readonly longest: readonly number[] };

/** A call or return event in the doubly linked history the search lifts operations out of. */
interface Entry {
  readonly isCall: boolean;
  readonly id: number;
  readonly time: number;
  /** Calls point at their return. */
  match: Entry | null;
  prev: Entry | null;
  next: Entry | null;
}

/** How often the wall clock is read; Date.now() per step would dominate small steps. */
const CLOCK_CHECK_INTERVAL = 1024;

export function searchPartition<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly Operation<I, O>[],
  budget: SearchBudget,
): SearchOutcome {
  const head = buildEntryList(ops);
  const hash = model.hash ? (s: S) => model.hash!(s) : (s: S) => JSON.stringify(s) ?? 'undefined';
  const seen = new Map<string, S[]>();
  const linearized = new Uint32Array(Math.ceil(ops.length / 32) || 1);
  const calls: Array<{ entry: Entry; state: S }> = [];
  let longest: number[] = [];
  let state = model.init();
  let entry = head.next;
  let clock = 0;

  while (head.next !== null && entry !== null) {
    if (--budget.stepsLeft < 0) return { kind: 'timeout' };
    if (++clock % CLOCK_CHECK_INTERVAL === 0 && Date.now() > budget.deadline) return { kind: 'timeout' };

    if (entry.isCall) {
      const op = ops[entry.id]!;
      const pending = op.return === Infinity;
      const result = model.step(state, op.input, pending ? undefined : op.output);
      if (result.ok) {
        toggle(linearized, entry.id);
        if (remember(seen, linearized, hash(result.state), result.state, model.equal)) {
          calls.push({ entry, state });
          state = result.state;
          lift(entry);
          if (calls.length > longest.length) longest = calls.map((c) => c.entry.id);
          entry = head.next;
          continue;
        }
        toggle(linearized, entry.id);
      }
      entry = entry.next;
    } else {
      // Returns of operations that never returned sort last (time Infinity): reaching one means
      // every completed operation is linearized; pending ones may simply not have taken effect.
      if (entry.time === Infinity) return { kind: 'ok' };
      const top = calls.pop();
      if (!top) return { kind: 'fail', longest };
      state = top.state;
      toggle(linearized, top.entry.id);
      unlift(top.entry);
      entry = top.entry.next;
    }
  }
  return { kind: 'ok' };
}

function buildEntryList<I, O>(ops: readonly Operation<I, O>[]): Entry {
  const entries: Entry[] = [];
  ops.forEach((op, id) => {
    const ret: Entry = { isCall: false, id, time: op.return, match: null, prev: null, next: null };
    entries.push({ isCall: true, id, time: op.call, match: ret, prev: null, next: null }, ret);
  });
  // At equal times calls sort before returns: touching operations count as concurrent, the
  // conservative reading of clocks that cannot order them. Ties otherwise keep input order.
  entries.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? 0 : a.isCall ? -1 : 1) || a.id - b.id);
  const head: Entry = { isCall: false, id: -1, time: -Infinity, match: null, prev: null, next: null };
  let prev = head;
  for (const e of entries) {
    prev.next = e;
    e.prev = prev;
    prev = e;
  }
  return head;
}

/** Unlink a call and its return; both neighbours' links stay in the removed nodes for unlift. */
function lift(call: Entry): void {
  call.prev!.next = call.next;
  call.next!.prev = call.prev;
  const ret = call.match!;
  ret.prev!.next = ret.next;
  if (ret.next) ret.next.prev = ret.prev;
}

function unlift(call: Entry): void {
  const ret = call.match!;
  ret.prev!.next = ret;
  if (ret.next) ret.next.prev = ret;
  call.prev!.next = call;
  call.next!.prev = call;
}

function toggle(bits: Uint32Array, id: number): void {
  bits[id >>> 5] ^= 1 << (id & 31);
}

/** Record (linearized set, state); false when that configuration was already explored. */
function remember<S>(
  seen: Map<string, S[]>,
  bits: Uint32Array,
  stateHash: string,
  state: S,
  equal: ((a: S, b: S) => boolean) | undefined,
): boolean {
  const key = `${bits.join(',')}|${stateHash}`;
  const bucket = seen.get(key);
  if (!bucket) {
    seen.set(key, [state]);
    return true;
  }
  if (!equal || bucket.some((s) => equal(s, state))) return false;
  bucket.push(state);
  return true;
}
