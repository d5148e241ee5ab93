import type { Logger } from '@proconsul/kernel';

/**
 * One warning line per refused connection, but at most one per peer host and reason per
 * interval: a misconfigured peer redials every 100 ms and must not flood the log.
 */
export class RefusalLog {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 30_000,
    private readonly now: () => number = Date.now,
    private readonly what = 'refused server-port connection from',
  ) {}

  note(peer: string, reason: string): void {
    const host = peer.replace(/:\d+$/, '');
    const key = `${host} ${reason}`;
    const t = this.now();
    if ((this.last.get(key) ?? -Infinity) > t - this.intervalMs) return;
    if (this.last.size > 1000) this.last.clear();
    this.last.set(key, t);
    this.logger.warn(`${this.what} ${peer}: ${reason}`);
  }
}
