import { ConsensusTimeout } from '@proconsul/kernel';
import type { Clock } from './clock.js';
import type { LogEntry } from './messages.js';
import { LeadershipLost } from '../errors.js';

interface Pending {
  readonly term: number;
  readonly resolve: (r: { index: number; response: unknown }) => void;
  readonly reject: (e: unknown) => void;
  readonly cancel?: () => void;
}

/**
 * Promises of apply() calls, keyed by log index. Resolved when the entry is applied to
 * the FSM; rejected when a different entry lands at that index (leadership changed), on
 * step-down, or on timeout.
 */
export class ApplyFutures {
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly clock: Clock) {}

  add(entry: LogEntry, timeoutMs?: number): Promise<{ index: number; response: unknown }> {
    return new Promise((resolve, reject) => {
      const cancel =
        timeoutMs !== undefined
          ? this.clock.setTimer(timeoutMs, () => {
              if (this.pending.delete(entry.index)) reject(ConsensusTimeout('waiting for the command to commit'));
            })
          : undefined;
      this.pending.set(entry.index, { term: entry.term, resolve, reject, ...(cancel ? { cancel } : {}) });
    });
  }

  resolve(entry: LogEntry, response: unknown): void {
    const p = this.pending.get(entry.index);
    if (!p) return;
    this.pending.delete(entry.index);
    p.cancel?.();
    if (p.term === entry.term) p.resolve({ index: entry.index, response });
    else p.reject(LeadershipLost());
  }

  failAll(err: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) {
      p.cancel?.();
      p.reject(err);
    }
  }
}
