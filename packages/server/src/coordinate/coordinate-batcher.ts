import { AS_SERVER, type Command, type Coordinate, type Logger, type RpcCaller, type WriteReply } from '@proconsul/kernel';
import { CoordinateRateLimited } from '../server/server-errors.js';

/** Consul's server defaults (its `coordinate_update_*` tunables, not user config there either). */
export const COORDINATE_UPDATE_PERIOD_MS = 5_000;
export const COORDINATE_UPDATE_BATCH_SIZE = 128;
export const COORDINATE_UPDATE_MAX_BATCHES = 5;

export interface CoordinateBatcherOptions {
  readonly periodMs?: number;
  readonly batchSize?: number;
  readonly maxBatches?: number;
}

/** What the batcher needs: a replicated write as the server, and whether we lead. */
export interface CoordinateWriter {
  write(command: Command, caller: RpcCaller): Promise<WriteReply>;
  isLeader(): boolean;
}

/**
 * Coalesces agents' coordinate updates into a few raft writes (Consul's batchUpdate): each
 * node's latest update waits at most one period, then goes out in batches of `batchSize`,
 * at most `maxBatches` per period. More pending nodes than a period can carry is refused
 * at enqueue, as Consul refuses it, so agents back off rather than the log growing.
 * Runs on the leader (the update RPC is leader-only); a batch pending when leadership is
 * lost is dropped: each agent sends again at its next interval.
 */
export class CoordinateBatcher {
  private pending = new Map<string, Coordinate>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly periodMs: number;
  private readonly batchSize: number;
  private readonly maxBatches: number;

  constructor(
    private readonly writer: CoordinateWriter,
    private readonly log: Logger,
    o: CoordinateBatcherOptions = {},
  ) {
    this.periodMs = o.periodMs ?? COORDINATE_UPDATE_PERIOD_MS;
    this.batchSize = o.batchSize ?? COORDINATE_UPDATE_BATCH_SIZE;
    this.maxBatches = o.maxBatches ?? COORDINATE_UPDATE_MAX_BATCHES;
  }

  /** Throws CoordinateRateLimited when a period's worth of nodes is already pending. */
  enqueue(u: Coordinate): void {
    const key = `${u.Node}\0${u.Segment}`;
    if (!this.pending.has(key) && this.pending.size >= this.batchSize * this.maxBatches) throw CoordinateRateLimited();
    this.pending.set(key, u);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.periodMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flushing;
  }

  /** Writes what is pending now (also what the timer calls); never throws. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeBatches());
    return this.flushing;
  }

  private async writeBatches(): Promise<void> {
    const updates = [...this.pending.values()];
    this.pending = new Map();
    if (updates.length === 0 || !this.writer.isLeader()) return;
    for (let i = 0; i < updates.length; i += this.batchSize) {
      const batch = updates.slice(i, i + this.batchSize);
      try {
        await this.writer.write({ v: 1, type: 'coordinate-batch', Updates: batch }, AS_SERVER);
      } catch (e) {
        this.log.warn('coordinate batch update failed', { count: batch.length, error: e });
      }
    }
  }
}
