import type { HealthCheck } from './check.js';
import type { DirEntry } from './kv.js';
import type { Node } from './node.js';
import type { NodeService } from './service.js';

/** One result of a successful transaction; exactly one member is set. */
export interface TxnResult {
  KV?: DirEntry;
  Node?: Node;
  Service?: NodeService;
  Check?: HealthCheck;
}

/** Why op number `OpIndex` failed. */
export interface TxnError {
  OpIndex: number;
  What: string;
}

/**
 * Consul's TxnResponse: on success `Results` (one per op that yields one) and `Errors`
 * null; on failure nothing was applied, `Results` is null and `Errors` lists every failed op.
 */
export interface TxnResponse {
  Results: TxnResult[] | null;
  Errors: TxnError[] | null;
}
