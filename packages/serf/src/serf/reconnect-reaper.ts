import type { Logger, Pool } from '@proconsul/kernel';
import type { Scheduler, TimerHandle } from '../memberlist/scheduler.js';
import type { IntentBuffer } from './intent-buffer.js';
import type { MemberTable } from './member-table.js';
import type { SerfConfig } from './serf-config.js';

/**
 * What the reaper needs from its Serf. Both tasks run synchronously on a timer; a
 * reconnect only starts a memberlist join and does not wait for it, so a slow or dead
 * peer never delays the next tick.
 */
export interface ReconnectReaperHost {
  readonly config: SerfConfig;
  readonly scheduler: Scheduler;
  readonly log: Logger;
  readonly pool: Pool;
  readonly members: MemberTable;
  readonly intentBuffer: IntentBuffer;
  isAlive(): boolean;
  isShutdown(): boolean;
  join(address: string): Promise<unknown>;
  /** Persists the Lamport clocks (piggybacks on the reap tick, like serf). */
  saveClocks(): void;
}

/**
 * Serf's periodic housekeeping: forget failed members after reconnect_timeout and left
 * ones after tombstone_timeout, and now and then retry a failed member so a healed
 * partition merges again even if nobody on the other side tries.
 */
export class ReconnectReaper {
  private readonly timers: TimerHandle[] = [];

  constructor(private readonly h: ReconnectReaperHost) {}

  start(): void {
    this.every(this.h.config.reapIntervalMs, () => this.reap());
    this.every(this.h.config.reconnectIntervalMs, () => this.reconnect());
  }

  stop(): void {
    for (const t of this.timers) t.cancel();
  }

  private reap(): void {
    const { config: c, members } = this.h;
    const now = this.h.scheduler.now();
    for (const m of [...members.values()]) {
      const age = now - m.leaveTime;
      if ((m.status === 'failed' && age > c.reconnectTimeoutMs) || (m.status === 'left' && age > c.tombstoneTimeoutMs)) {
        this.h.log.info('reaping member', { member: m.name, status: m.status, pool: this.h.pool });
        members.erase(m);
      }
    }
    this.h.intentBuffer.expire();
    this.h.saveClocks();
  }

  /** Retries one failed member now and then (probability failed/alive, as serf does). */
  private reconnect(): void {
    const { members, scheduler: s } = this.h;
    const failed = [...members.values()].filter((m) => m.status === 'failed');
    if (failed.length === 0 || !this.h.isAlive()) return;
    const alive = [...members.values()].filter((m) => m.status === 'alive').length;
    if (s.random() > failed.length / Math.max(1, alive)) return;
    const m = failed[Math.floor(s.random() * failed.length)]!;
    this.h.log.debug('attempting reconnect', { member: m.name, addr: `${m.addr}:${m.port}` });
    this.h.join(`${m.addr}:${m.port}`).catch(() => {});
  }

  private every(ms: number, fn: () => void): void {
    const { scheduler: s } = this.h;
    const tick = () => {
      if (this.h.isShutdown()) return;
      fn();
      this.timers.push(s.setTimeout(tick, ms));
    };
    this.timers.push(s.setTimeout(tick, ms));
  }
}
