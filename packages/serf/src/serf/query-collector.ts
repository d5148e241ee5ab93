import type { Scheduler, TimerHandle } from '../memberlist/scheduler.js';

export interface QueryResult {
  /** Members that received the query (only when an ack was requested). */
  readonly acks: string[];
  readonly responses: { readonly from: string; readonly payload: Uint8Array }[];
}

/** Gathers acks and responses for one outstanding query until its deadline. */
export class QueryCollector {
  readonly result: QueryResult = { acks: [], responses: [] };
  readonly done: Promise<QueryResult>;
  private resolve!: (r: QueryResult) => void;
  private readonly timer: TimerHandle;

  constructor(scheduler: Scheduler, timeoutMs: number, onClose: () => void) {
    this.done = new Promise((r) => (this.resolve = r));
    this.timer = scheduler.setTimeout(() => {
      onClose();
      this.resolve(this.result);
    }, timeoutMs);
  }

  ack(from: string): void {
    if (!this.result.acks.includes(from)) this.result.acks.push(from);
  }

  response(from: string, payload: Uint8Array): void {
    if (!this.result.responses.some((r) => r.from === from)) this.result.responses.push({ from, payload });
  }

  close(): void {
    this.timer.cancel();
    this.resolve(this.result);
  }
}
