import { LOG_LEVELS, type LogLevel } from './log-level.js';

/**
 * Live copies of the agent's log lines for `/v1/agent/monitor`. Subscribers choose their
 * own level, which may be below the agent's `log_level` (a monitor at debug sees debug
 * lines the agent does not print), as Consul's monitor does. Publishing runs on the
 * logging call's stack: subscribers must only buffer, never block.
 */
export const LogTap = Symbol.for('proconsul.LogTap');

export interface LogEntry {
  readonly level: LogLevel;
  /** The line as the agent prints it. */
  readonly line: string;
  readonly module: string;
  readonly message: string;
  readonly time: string;
}

export interface LogTap {
  subscribe(level: LogLevel, listener: (e: LogEntry) => void): () => void;
}

export class LogFanout implements LogTap {
  private readonly subs = new Set<{ min: number; fn: (e: LogEntry) => void }>();
  private lowest = Infinity;

  subscribe(level: LogLevel, listener: (e: LogEntry) => void): () => void {
    const sub = { min: LOG_LEVELS.indexOf(level), fn: listener };
    this.subs.add(sub);
    this.recompute();
    return () => {
      this.subs.delete(sub);
      this.recompute();
    };
  }

  /** Cheap check before a line is formatted: does anyone want this level? */
  wants(levelIndex: number): boolean {
    return levelIndex >= this.lowest;
  }

  publish(levelIndex: number, e: LogEntry): void {
    for (const s of this.subs) {
      if (levelIndex < s.min) continue;
      try {
        s.fn(e);
      } catch {
        // A broken monitor must not break logging.
      }
    }
  }

  private recompute(): void {
    this.lowest = Math.min(Infinity, ...[...this.subs].map((s) => s.min));
  }
}
