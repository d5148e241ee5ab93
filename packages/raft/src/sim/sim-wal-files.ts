import type { WalFile, WalFiles } from '../storage/wal/wal-files.js';
import type { Prng } from './prng.js';
import { NEVER, SimFsync, type FsyncScheduler } from './sim-fsync.js';

/**
 * A simulated directory of segment files for one server, with a crash model: a file's
 * bytes reach "disk" only when a datasync completes (after a simulated delay, in order),
 * a create or unlink only at syncDir. `crash()` keeps what is on disk, plus a random part
 * of the bytes appended after the last datasync — a torn write that recovery must cut.
 * Calls from before a crash never complete (that process is gone).
 */
export class SimWalFiles {
  private diskNames = new Set<string>();
  private readonly diskData = new Map<string, Buffer>();
  private names = new Set<string>();
  private data = new Map<string, Buffer>();
  private epoch = 0;
  private readonly fsync: SimFsync;
  /** Bytes kept past the last datasync at crashes (a test that the torn-tail path ran). */
  tornBytesKept = 0;

  constructor(
    sched: FsyncScheduler,
    private readonly rng: Prng,
    fsyncMs: readonly [number, number],
  ) {
    this.fsync = new SimFsync(sched, rng, fsyncMs);
  }

  /** The directory as the current process sees it. */
  view(): WalFiles {
    const epoch = this.epoch;
    const live = <T>(fn: () => T): Promise<T> => (epoch === this.epoch ? Promise.resolve(fn()) : NEVER);
    const file = (name: string): WalFile => ({
      write: (buf, position) =>
        live(() => {
          const old = this.data.get(name) ?? Buffer.alloc(0);
          const next = Buffer.alloc(Math.max(old.length, position + buf.length));
          old.copy(next);
          buf.copy(next, position);
          this.data.set(name, next);
        }),
      truncate: (size) =>
        live(() => {
          this.data.set(name, Buffer.from((this.data.get(name) ?? Buffer.alloc(0)).subarray(0, size)));
        }),
      datasync: () => {
        const snapshot = Buffer.from(this.data.get(name) ?? Buffer.alloc(0));
        return this.synced(epoch, () => this.diskData.set(name, snapshot));
      },
      close: () => live(() => undefined),
    });
    return {
      ensureDir: () => live(() => undefined),
      list: () => live(() => [...this.names]),
      read: (name) =>
        live(() => {
          const d = this.data.get(name);
          if (!this.names.has(name) || !d) throw Object.assign(new Error(`ENOENT: ${name}`), { code: 'ENOENT' });
          return Buffer.from(d);
        }),
      create: (name) =>
        live(() => {
          this.names.add(name);
          this.data.set(name, Buffer.alloc(0));
          return file(name);
        }),
      openExisting: (name) =>
        live(() => {
          if (!this.names.has(name)) throw Object.assign(new Error(`ENOENT: ${name}`), { code: 'ENOENT' });
          return file(name);
        }),
      unlink: (name) =>
        live(() => {
          this.names.delete(name);
          this.data.delete(name);
        }),
      syncDir: () => {
        const names = new Set(this.names);
        return this.synced(epoch, () => {
          for (const n of this.diskNames) if (!names.has(n)) this.diskData.delete(n);
          this.diskNames = names;
        });
      },
      path: (name) => `sim-wal/${name}`,
    };
  }

  /** Lose what is not on disk, except a random prefix of each file's unsynced appended bytes. */
  crash(): void {
    this.epoch++;
    const names = new Set<string>();
    const data = new Map<string, Buffer>();
    for (const n of this.diskNames) {
      const durable = this.diskData.get(n) ?? Buffer.alloc(0);
      const current = this.data.get(n);
      let kept = durable;
      if (
        current &&
        current.length > durable.length &&
        current.subarray(0, durable.length).equals(durable) &&
        this.rng.chance(0.5)
      ) {
        const extra = this.rng.int(1, current.length - durable.length);
        kept = Buffer.from(current.subarray(0, durable.length + extra));
        this.tornBytesKept += extra;
      }
      names.add(n);
      data.set(n, Buffer.from(kept));
      this.diskData.set(n, Buffer.from(kept));
    }
    this.names = names;
    this.data = data;
  }

  /** Lose everything. */
  wipe(): void {
    this.epoch++;
    this.diskNames.clear();
    this.diskData.clear();
    this.names.clear();
    this.data.clear();
  }

  private synced(epoch: number, apply: () => void): Promise<void> {
    return this.fsync.run(() => epoch === this.epoch, apply);
  }
}
