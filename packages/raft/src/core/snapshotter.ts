import type { Fsm, Logger } from '@proconsul/kernel';
import type { ConfigurationData } from './messages.js';
import type { LogView } from './node-context.js';
import type { RaftConfig } from './raft-config.js';
import type { RaftSnapshotStore } from '../storage/raft-snapshot-store.js';

/** What snapshotting needs from the server (RaftNode); compaction is the node's job. */
export interface SnapshotterHost {
  readonly lastApplied: number;
  /** Configuration as of lastApplied. */
  readonly appliedConfig: ConfigurationData;
  readonly stopped: boolean;
  readonly restoring: boolean;
  readonly log: LogView;
  readonly cfg: Pick<RaftConfig, 'snapshotThreshold' | 'snapshotLogBytes'>;
  readonly fsm: Pick<Fsm, 'snapshot'>;
  readonly snapshotStore: Pick<RaftSnapshotStore, 'create'>;
  readonly logger: Logger;
  /** A snapshot at `index` is durable: drop the log entries it makes unnecessary. */
  compactLog(index: number, term: number, config: ConfigurationData): void;
}

/**
 * Takes snapshots of the FSM and compacts the log behind them. Triggered every
 * snapshotIntervalMs when snapshotThreshold entries were applied since the last one
 * (Consul's raft_snapshot_interval/threshold), or on demand. One at a time.
 */
/**
 * The size trigger is at least a quarter of the last snapshot's size: each snapshot writes
 * the whole state, so a 5 GB state snapshotted every 64 MiB of writes would write ~80 times
 * what was written. With the quarter it writes at most 4 times as much, and the log holds
 * at most about a quarter of the state's size on top of the state itself.
 */
const SNAPSHOT_SHARE_OF_LOG = 4;

export class Snapshotter {
  private running: Promise<boolean> | undefined;
  /** Bytes of the last snapshot this server wrote itself (0 until one was). */
  private lastSnapshotBytes = 0;

  constructor(private readonly n: SnapshotterHost) {}

  /** The periodic check: enough entries or enough bytes applied since the last snapshot. */
  maybeSnapshot(): void {
    const n = this.n;
    if (n.lastApplied - n.log.snapshotIndex >= n.cfg.snapshotThreshold) void this.take().catch(() => {});
    else this.maybeSnapshotForSize();
  }

  /**
   * Called as entries apply (O(1)): snapshot once the applied commands since the last
   * snapshot hold {@link sizeTrigger} bytes, without waiting for the interval, so a burst of
   * big values cannot grow the in-memory log for a whole interval first.
   */
  maybeSnapshotForSize(): void {
    const n = this.n;
    if (this.running) return;
    if (n.log.dataBytes(n.log.snapshotIndex + 1, n.lastApplied) >= this.sizeTrigger()) void this.take().catch(() => {});
  }

  /** snapshotLogBytes, or a quarter of the last snapshot's size when that is more. */
  sizeTrigger(): number {
    return Math.max(this.n.cfg.snapshotLogBytes, this.lastSnapshotBytes / SNAPSHOT_SHARE_OF_LOG);
  }

  /** Snapshot at lastApplied now. Resolves true when a snapshot was written. */
  take(): Promise<boolean> {
    if (this.running) return this.running;
    const p = this.run().finally(() => {
      this.running = undefined;
    });
    this.running = p;
    return p;
  }

  private async run(): Promise<boolean> {
    const n = this.n;
    if (n.stopped || n.restoring || n.lastApplied <= n.log.snapshotIndex) return false;
    const index = n.lastApplied;
    const term = n.log.termAt(index);
    if (term === undefined) return false;
    const config = n.appliedConfig;
    // Point-in-time: taken synchronously at lastApplied; writing it out may overlap applies.
    // Logged at the start as well as the end (as hashicorp/raft does): an operator can see
    // how long one runs, and bench:sustained-writes marks the load slices it overlapped.
    n.logger.info('starting snapshot', { index });
    const snap = n.fsm.snapshot();
    const sink = n.snapshotStore.create(index, term, config);
    let bytes = 0;
    try {
      for await (const chunk of snap.chunks()) {
        bytes += chunk.byteLength; // read before the sink takes the chunk over
        await sink.write(chunk);
      }
    } catch (err) {
      await sink.abort().catch(() => {});
      n.logger.error('writing snapshot failed', { error: err });
      return false;
    } finally {
      snap.release();
    }
    const meta = await sink.commit();
    if (!meta || n.stopped) return false;
    this.lastSnapshotBytes = bytes;
    n.compactLog(index, term, config);
    n.logger.info('snapshot complete', { index, term, bytes });
    return true;
  }
}
