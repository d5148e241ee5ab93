import type { Clock, Timer } from '@proconsul/kernel';

/** The longest a run may start after it is due: 100 ms (1% of Consul's usual 10 s interval). */
export const MAX_SLOT_MS = 100;

/**
 * The slot width for a check of this interval: 1% of the interval, at most MAX_SLOT_MS, at
 * least 1 ms. A run then starts at most that much later than Consul would start it.
 */
export function slotWidthMs(intervalMs: number): number {
  return Math.max(1, Math.min(MAX_SLOT_MS, Math.floor(intervalMs / 100)));
}

interface Slot {
  readonly timer: Timer;
  readonly runs: Set<() => void>;
  /** clock.now() when the slot was made: a later schedule may join it only if time has not gone back. */
  readonly madeAt: number;
}

/**
 * Starts check runs on shared slot boundaries instead of each at its own moment.
 *
 * Why: an agent wakes up once per timer that fires on its own, and on this kind of machine
 * (a VM with two cores) a wake-up costs as much as the probe it starts. 1,000 connects a
 * second spread evenly cost about twice the CPU of the same connects started in groups of 20
 * every 100 ms. Rounding each run's start up to the next slot of `slotWidthMs(interval)`
 * groups the runs of many checks into one wake-up, and their connects and replies into the
 * same turns of the event loop.
 *
 * What stays as Consul has it: the first run is staggered over one interval (the slots only
 * round it), and each next run is due `interval` after the previous one completed, so a check
 * never overlaps itself. A run starts at most one slot (≤ 1% of its interval, ≤ 100 ms) late.
 * Timeouts do not go through here: they fire exactly.
 *
 * Boundaries are counted from this object's creation on `clock`, so agents started at
 * different moments do not probe in step. The agent's clock is the wall clock: after it is
 * set back, a run does not join a slot made before (that slot's timer would fire it early by
 * the step). All callbacks run on the event loop; a slot's runs are called in the order they
 * were scheduled.
 */
export class RunSlots {
  private readonly slots = new Map<number, Slot>();
  private readonly origin: number;

  constructor(private readonly clock: Clock) {
    this.origin = clock.now();
  }

  /** Call `run` once, at the first boundary of `widthMs` at least `delayMs` from now. */
  schedule(run: () => void, delayMs: number, widthMs: number): Timer {
    const now = this.clock.now();
    const offset = now + Math.max(0, delayMs) - this.origin;
    const due = this.origin + Math.ceil(offset / widthMs) * widthMs;
    let slot = this.slots.get(due);
    if (!slot || slot.madeAt > now) {
      const created: Slot = {
        timer: this.clock.setTimer(() => this.fire(due, created), due - now),
        runs: new Set(),
        madeAt: now,
      };
      this.slots.set(due, created);
      slot = created;
    }
    // A fresh closure per schedule: the same function scheduled twice must fire twice.
    const entry = () => run();
    slot.runs.add(entry);
    const owner = slot;
    return {
      cancel: () => {
        if (!owner.runs.delete(entry) || owner.runs.size > 0) return;
        owner.timer.cancel();
        if (this.slots.get(due) === owner) this.slots.delete(due);
      },
    };
  }

  /** Slots waiting to fire (for tests). */
  get pending(): number {
    return this.slots.size;
  }

  private fire(due: number, slot: Slot): void {
    if (this.slots.get(due) === slot) this.slots.delete(due);
    for (const run of slot.runs) {
      try {
        run();
      } catch (err) {
        // As if its own timer had thrown: the error still surfaces, the slot's other runs still start.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
    slot.runs.clear();
  }
}
