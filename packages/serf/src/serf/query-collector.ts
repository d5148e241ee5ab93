import type { Scheduler, TimerHandle } from '../memberlist/scheduler.js';

export interface QueryResult {
  /** Members that received the query (only when an ack was requested). */
  readonly acks: string[];
  readonly responses: { readonly from: string; readonly payload: Uint8Array }[];
}

/**
 * Gathers acks and responses for one outstanding query until its deadline, or until
 * `expectedResponses` arrived when the asker knows how many answers to wait for.
 */
export class QueryCollector {
  readonly result: QueryResult = { acks: [], responses: [] };
  readonly done: Promise<QueryResult>;
  private resolve!: (r: QueryResult) => void;
  private readonly timer: TimerHandle;

  constructor(
    scheduler: Scheduler,
    timeoutMs: number,
    private readonly onClose: () => void,
    private readonly expectedResponses = Infinity,
  ) {
    this.done = new Promise((r) => (this.resolve = r));
    this.timer = scheduler.setTimeout(() => this.close(), timeoutMs);
  }

  ack(from: string): void {
    if (!this.result.acks.includes(from)) this.result.acks.push(from);
  }

  response(from: string, payload: Uint8Array): void {
    if (!this.result.responses.some((r) => r.from === from)) this.result.responses.push({ from, payload });
    if (this.result.responses.length >= this.expectedResponses) this.close();
  }

  close(): void {
    this.timer.cancel();
    this.onClose();
    this.resolve(this.result);
  }
}
