import type { KeyValueStore, WriteOp } from '@proconsul/kernel';
import { GroupCommit } from './group-commit.js';

/** Group commit (see GroupCommit) of durable batches to one KeyValueStore. */
export class WriteBatcher extends GroupCommit<WriteOp> {
  constructor(store: KeyValueStore, onError: (err: unknown) => void) {
    super((ops) => store.write(ops, { durable: true }), onError);
  }

  /** Resolves once `ops` (and everything submitted before) is durable. */
  write(ops: readonly WriteOp[]): Promise<void> {
    return this.submit(ops);
  }
}
