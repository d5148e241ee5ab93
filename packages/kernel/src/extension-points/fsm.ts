/**
 * The replicated state machine, implemented by the kernel's state store and driven by
 * consensus. Calls to apply/snapshot/restore never overlap: consensus makes them from
 * one logical thread, in log order.
 */
export const Fsm = Symbol.for('proconsul.Fsm');

export interface Fsm {
  /**
   * Apply a committed command at `index`. Deterministic: no clocks, no randomness — the
   * leader stamps any time into the command before proposing. Synchronous; returns the
   * command's response (errors are returned, not thrown, so one bad command cannot stall
   * the log).
   */
  apply(index: number, command: Uint8Array): unknown;
  /** Point-in-time snapshot, cheap to take; written out later, possibly while applies continue. */
  snapshot(): FsmSnapshot;
  /** Replace all state with a snapshot stream written by {@link FsmSnapshot.write}. */
  restore(source: AsyncIterable<Uint8Array>): Promise<void>;
}

export interface FsmSnapshot {
  /** The index the snapshot covers. */
  readonly index: number;
  /** Stream the snapshot in chunks; memory use stays bounded whatever the state size. */
  chunks(): AsyncIterable<Uint8Array>;
  release(): void;
}
