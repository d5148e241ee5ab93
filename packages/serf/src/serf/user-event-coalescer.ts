import type { Scheduler, TimerHandle } from '../memberlist/scheduler.js';

export interface UserEventOut {
  readonly name: string;
  readonly payload: Uint8Array;
  readonly ltime: number;
  readonly coalesce: boolean;
}

/**
 * Coalesces user events flagged `coalesce`: within a burst only the newest event of each
 * name is delivered. A burst ends after `quiescentMs` without events or `periodMs` after it
 * began, whichever first, so a steady stream still gets delivered.
 */
export class UserEventCoalescer {
  private pending = new Map<string, UserEventOut>();
  private periodTimer: TimerHandle | undefined;
  private quietTimer: TimerHandle | undefined;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly periodMs: number,
    private readonly quiescentMs: number,
    private readonly emit: (e: UserEventOut) => void,
  ) {}

  push(e: UserEventOut): void {
    if (!e.coalesce || this.periodMs <= 0) return this.emit(e);
    const cur = this.pending.get(e.name);
    if (!cur || cur.ltime < e.ltime) this.pending.set(e.name, e);
    this.periodTimer ??= this.scheduler.setTimeout(() => this.flush(), this.periodMs);
    this.quietTimer?.cancel();
    this.quietTimer = this.scheduler.setTimeout(() => this.flush(), this.quiescentMs);
  }

  flush(): void {
    this.periodTimer?.cancel();
    this.quietTimer?.cancel();
    this.periodTimer = this.quietTimer = undefined;
    const out = [...this.pending.values()];
    this.pending = new Map();
    for (const e of out) this.emit(e);
  }

  stop(): void {
    this.periodTimer?.cancel();
    this.quietTimer?.cancel();
    this.pending.clear();
  }
}
