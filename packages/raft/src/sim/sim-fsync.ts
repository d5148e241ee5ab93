import type { Prng } from './prng.js';

/** The virtual clock a simulated disk runs on (SimDisk's DiskScheduler; not imported, to keep sim-store → here one-way). */
export interface FsyncScheduler {
  now(): number;
  at(delayMs: number, fn: () => void): unknown;
}

/** A promise that never settles: what a call from a crashed process gets. */
export const NEVER = new Promise<never>(() => {});

/**
 * The fsyncs of one simulated directory: each completes after a random delay in `fsyncMs`,
 * never before an earlier one (a disk's queue), and not at all once the process that issued
 * it crashed (`alive()` turned false before it completed).
 */
export class SimFsync {
  private lastCompletion = 0;

  constructor(
    private readonly sched: FsyncScheduler,
    private readonly rng: Prng,
    private readonly fsyncMs: readonly [number, number],
  ) {}

  /** Runs `apply` (what reaches the disk) when the sync completes, then resolves. */
  run(alive: () => boolean, apply: () => void): Promise<void> {
    if (!alive()) return NEVER;
    const done = Math.max(this.lastCompletion, this.sched.now() + this.rng.int(this.fsyncMs[0], this.fsyncMs[1]));
    this.lastCompletion = done;
    return new Promise((resolve) => {
      this.sched.at(done - this.sched.now(), () => {
        if (!alive()) return; // crashed first: never on disk, never answered
        apply();
        resolve();
      });
    });
  }
}
