import type { Scheduler, TimerHandle } from '../memberlist/scheduler.js';
import type { PacketHandler, StreamHandler, Transport } from '../memberlist/transport.js';

/**
 * Models a member whose process gets no CPU for a while (a starved cgroup, SIGSTOP, a
 * long GC pause): while stalled none of its timers or handlers run, and packets sent to
 * it wait in its socket buffer. On resume it replays what queued up in the order a Node
 * event loop does: every due timer first (timers phase), then the buffered packets and
 * streams (poll phase). Work the member schedules while resuming (a zero-delay timer)
 * runs after the buffered input, as on the next loop iteration.
 *
 * Not modelled: promise continuations of requests the member awaited before the stall
 * still run on time. The member's own outgoing packets are unaffected, since a stalled
 * process sends nothing.
 */
export class StallGate {
  private stalledUntil = -Infinity;
  private timers: (() => void)[] = [];
  private input: (() => void)[] = [];
  private resumeTimer: TimerHandle | undefined;

  constructor(private readonly base: Scheduler) {}

  stalled(): boolean {
    return this.base.now() < this.stalledUntil;
  }

  /** Freezes the member for `ms` (extends a stall already in progress). */
  stall(ms: number): void {
    const until = this.base.now() + ms;
    if (until <= this.stalledUntil) return;
    this.stalledUntil = until;
    this.resumeTimer?.cancel();
    this.resumeTimer = this.base.setTimeout(() => this.resume(), ms);
  }

  /** The member's view of time: its timers fire only while it runs. */
  scheduler(): Scheduler {
    return {
      now: () => this.base.now(),
      random: () => this.base.random(),
      setTimeout: (fn, ms) => this.base.setTimeout(() => this.run(this.timers, fn), ms),
    };
  }

  /** The member's transport: delivery into it waits for the member to run. */
  wrap(t: Transport): Transport {
    return {
      get addr() {
        return t.addr;
      },
      get port() {
        return t.port;
      },
      sendPacket: (a, p, d) => t.sendPacket(a, p, d),
      request: (a, p, d, ms) => t.request(a, p, d, ms),
      close: () => t.close(),
      setPacketHandler: (h: PacketHandler) => t.setPacketHandler((d, a, p) => this.run(this.input, () => h(d, a, p))),
      setStreamHandler: (h: StreamHandler) =>
        t.setStreamHandler(
          (d, a) => new Promise<Uint8Array>((resolve, reject) => this.run(this.input, () => h(d, a).then(resolve, reject))),
        ),
    };
  }

  private run(queue: (() => void)[], fn: () => void): void {
    if (this.stalled()) queue.push(fn);
    else fn();
  }

  private resume(): void {
    this.resumeTimer = undefined;
    const timers = this.timers;
    const input = this.input;
    this.timers = [];
    this.input = [];
    for (const fn of timers) fn();
    for (const fn of input) fn();
  }
}
