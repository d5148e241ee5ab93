import { ProconsulError, type Fsm, type FsmSnapshot } from '@proconsul/kernel';
import { decodeCommand } from './command-codec.js';
import { readFrames } from './snapshot-frames.js';
import { readHeader, restoreRecord, type SnapshotHeader, type SnapshotRecord } from './snapshot-records.js';
import { snapshotFrames } from './snapshot-stream.js';
import { SnapshotInvalid } from './state-errors.js';
import type { StateStore } from './state-store.js';
import { StateTables } from './state-tables.js';
import type { StateView } from './state-view.js';

/** A frozen store version streamed as length-prefixed msgpack frames (~64 KiB each). */
class StateSnapshot implements FsmSnapshot {
  private view: StateView | undefined;

  constructor(view: StateView) {
    this.view = view;
  }

  get index(): number {
    return this.view?.index ?? 0;
  }

  /** Rows are generated while iterating, one frame at a time: memory stays O(frame). */
  async *chunks(): AsyncIterable<Uint8Array> {
    const view = this.view;
    if (!view) throw SnapshotInvalid('snapshot already released');
    yield* snapshotFrames(view.tables, view.index);
  }

  release(): void {
    this.view = undefined;
  }
}

/**
 * The kernel's {@link Fsm}: decodes raft log entries into commands for the
 * {@link StateStore}. Consensus calls apply/snapshot/restore from one logical thread.
 */
export class StateFsm implements Fsm {
  constructor(readonly store: StateStore) {}

  /** Returns the command's result, or an error value (bad entry, rejected command); never throws. */
  apply(index: number, command: Uint8Array): unknown {
    const cmd = decodeCommand(command);
    if (cmd instanceof ProconsulError) return cmd;
    return this.store.apply(index, cmd);
  }

  snapshot(): FsmSnapshot {
    return new StateSnapshot(this.store.snapshotView());
  }

  /**
   * Rebuild state from a snapshot stream, then swap it in and wake every watcher. On a
   * bad stream it rejects with STATE_SNAPSHOT_INVALID and the current state is untouched.
   */
  async restore(source: AsyncIterable<Uint8Array>): Promise<void> {
    const tables = new StateTables();
    let header: SnapshotHeader | undefined;
    for await (const records of readFrames(source)) {
      let i = 0;
      if (!header) {
        header = readHeader(records[0]);
        i = 1;
      }
      for (; i < records.length; i++) restoreRecord(tables, records[i] as SnapshotRecord);
    }
    if (!header) throw SnapshotInvalid('empty stream');
    this.store.replace(tables, header.index);
  }
}
