import { ProconsulError } from '@proconsul/kernel';
import { compareStrings, SortedMap } from '@proconsul/collections';

/** How long a request ID is remembered, by the leader's clock stamped in the log: far past any rpc_hold_timeout. */
export const REQUEST_RETAIN_MS = 15 * 60_000;
/** At most this many request IDs are remembered (oldest dropped first): bounds memory under any write rate. */
export const REQUEST_MAX = 16_384;

/** What a replayed request answers: the first application's result, in a form snapshots can carry. */
export interface RequestRecord {
  /** Raft index of the entry that applied the command. */
  readonly index: number;
  /** The leader's `now` stamped in that entry. */
  readonly at: number;
  readonly result: unknown;
  /** Set when the result was a coded error (it is stored as its code, message and status). */
  readonly error?: { code: string; message: string; statusCode: number };
}

/**
 * Request IDs of applied {@link RequestCommand}s and their results, replicated (every server
 * applies the same log, and eviction uses only values in it) and carried by snapshots.
 * `clone()` is O(1) like every table.
 */
export class RequestTable {
  constructor(
    readonly byId = new SortedMap<string, RequestRecord>(compareStrings),
    private readonly byIndex = new SortedMap<number, string>((a, b) => a - b),
  ) {}

  clone(): RequestTable {
    return new RequestTable(this.byId.clone(), this.byIndex.clone());
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): RequestRecord | undefined {
    return this.byId.get(id);
  }

  /** Remember `id`'s result, then forget what is older than the retention or beyond the cap. */
  remember(id: string, index: number, at: number, result: unknown): void {
    this.put(id, toRecord(index, at, result));
    for (let oldest = this.byIndex.first(); oldest; oldest = this.byIndex.first()) {
      const rec = this.byId.get(oldest[1]);
      if (this.byId.size <= REQUEST_MAX && rec && rec.at >= at - REQUEST_RETAIN_MS) break;
      this.byIndex.delete(oldest[0]);
      this.byId.delete(oldest[1]);
    }
  }

  /** Restore one record from a snapshot. */
  put(id: string, rec: RequestRecord): void {
    this.byId.set(id, rec);
    this.byIndex.set(rec.index, id);
  }
}

function toRecord(index: number, at: number, result: unknown): RequestRecord {
  if (result instanceof ProconsulError) {
    return { index, at, result: null, error: { code: result.code, message: result.message, statusCode: result.statusCode } };
  }
  return { index, at, result: result ?? null };
}

/** The answer to a repeated request: the remembered result, or the same coded error again. */
export function replayResult(rec: RequestRecord): unknown {
  return rec.error ? new ProconsulError(rec.error.code, rec.error.message, rec.error.statusCode) : rec.result;
}
