import { isCoded, type Command, type ProconsulError, type TxnResponse } from '@proconsul/kernel';
import { applyCommand, SINGLE_STEP } from './command-apply.js';
import { ApplyFailed } from './state-errors.js';
import { StateTables } from './state-tables.js';
import { StateReaders, StateView } from './state-view.js';
import { WatchRegistry } from './watch-registry.js';
import { WriteContext } from './write-context.js';

function isFailedTxn(result: unknown): boolean {
  return typeof result === 'object' && result !== null && 'Errors' in result && (result as TxnResponse).Errors !== null;
}

/**
 * The in-memory indexed database behind the catalog, KV, sessions and ACLs (Consul's
 * state store). Reads never touch disk; durability is the raft log plus FSM snapshots.
 *
 * Concurrency: single JS thread. `apply` is synchronous and called in log order by the
 * FSM; every read method is synchronous too, so a read always sees one version (no
 * apply can interleave). Watchers are woken at the end of the apply that changed what
 * they read; their continuations run after apply returns.
 */
export class StateStore extends StateReaders {
  readonly watches: WatchRegistry;
  /** The current version; readers reach it through the same box, so swapping it is seen everywhere. */
  private readonly current: { tables: StateTables };
  private applied = 0;

  constructor() {
    const current = { tables: new StateTables() };
    const watches = new WatchRegistry();
    super(() => current.tables, watches);
    this.current = current;
    this.watches = watches;
  }

  private get tables(): StateTables {
    return this.current.tables;
  }

  private set tables(t: StateTables) {
    this.current.tables = t;
  }

  /** Last raft index applied (or restored). */
  get index(): number {
    return this.applied;
  }

  /**
   * Apply a decoded command at raft `index`. Never throws: a rejected command returns its
   * error value and leaves the state unchanged (multi-step commands run on an O(1) clone
   * that is swapped in only on success; a failed txn returns its TxnResponse with Errors).
   */
  apply(index: number, cmd: Command): unknown {
    const atomic = !SINGLE_STEP.has(cmd.type);
    const ctx = new WriteContext(atomic ? this.tables.clone() : this.tables, index);
    let result: unknown;
    try {
      result = applyCommand(ctx, cmd);
    } catch (err) {
      this.applied = Math.max(this.applied, index);
      return isCoded(err) ? err : (ApplyFailed(cmd.type, String(err)) as ProconsulError);
    }
    this.applied = Math.max(this.applied, index);
    if (isFailedTxn(result)) return result;
    if (atomic) this.tables = ctx.t;
    if (!ctx.changes.empty) this.watches.notify(ctx.changes);
    return result;
  }

  /** O(1) consistent view of the current version (clones every table). */
  snapshotView(): StateView {
    return new StateView(this.tables.clone(), this.applied);
  }

  /** Replace everything (snapshot restore) and wake every watcher: any read may now differ. */
  replace(tables: StateTables, index: number): void {
    this.tables = tables;
    this.applied = index;
    this.watches.notifyAll();
  }
}
