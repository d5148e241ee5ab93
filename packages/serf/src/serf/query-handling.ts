import { QueryTooLarge } from '../errors.js';
import { BroadcastQueue } from '../memberlist/broadcast-queue.js';
import type { Scheduler } from '../memberlist/scheduler.js';
import type { LamportClock } from './lamport-clock.js';
import type { MembershipListeners } from './membership-listeners.js';
import { QueryCollector, type QueryResult } from './query-collector.js';
import { matchesFilters } from './query-filter.js';
import { RecentBuffer } from './recent-buffer.js';
import type { SerfConfig } from './serf-config.js';
import { encodeSerf, type QueryFilters, type SerfMsg } from './serf-messages.js';

export type QueryMsg = Extract<SerfMsg, { s: 'query' }>;
export type QueryResponseMsg = Extract<SerfMsg, { s: 'qresp' }>;

export interface QueryOptions {
  readonly filters?: QueryFilters;
  readonly requestAck?: boolean;
  readonly timeoutMs?: number;
  /** Finish as soon as this many responses arrived instead of at the deadline. */
  readonly expectedResponses?: number;
}

/**
 * What queries need from their Serf. Handling is synchronous on the receive path; the
 * listener answers later (respond() may be called from any turn until the deadline),
 * and the asker's collector is closed by its own timer.
 */
export interface QueriesHost {
  readonly name: string;
  readonly config: SerfConfig;
  readonly scheduler: Scheduler;
  readonly queryClock: LamportClock;
  readonly listeners: MembershipListeners;
  tags(): Readonly<Record<string, string>>;
  numNodes(): number;
  /** Queries are news someone waits for: they go out at once, not at the next gossip tick. */
  expediteGossip(): void;
  /** Direct datagram to the asker (acks and responses do not ride on gossip). */
  sendUserPacket(addr: string, port: number, data: Uint8Array): void;
  /** Our answer to our own query takes the same decode path as a remote one. */
  deliverLocally(data: Uint8Array): void;
}

/**
 * Serf queries: gossiped to all, answered (acks and responses) directly to the asker by
 * members whose name and tags match the filters, collected until the deadline.
 */
export class Queries {
  readonly queue: BroadcastQueue;
  private readonly seen: RecentBuffer<number>;
  private readonly pending = new Map<string, QueryCollector>();

  constructor(private readonly h: QueriesHost) {
    this.seen = new RecentBuffer(h.config.queryBufferSize, (a, b) => a === b);
    this.queue = new BroadcastQueue(h.config.memberlist.retransmitMult, () => h.numNodes());
  }

  /**
   * Sends a query of ours (handled here too); resolves at the deadline with what came back.
   * Not async, so the caller's promise settles on the same turn as the collector's.
   */
  ask(name: string, payload: Uint8Array, o: QueryOptions): Promise<QueryResult> {
    const { config, scheduler } = this.h;
    const size = Buffer.byteLength(name) + payload.length;
    if (size > config.querySizeLimit) throw QueryTooLarge(size, config.querySizeLimit);
    const timeout = o.timeoutMs ?? this.defaultTimeout();
    const c = config.memberlist;
    const q: QueryMsg = {
      s: 'query',
      lt: this.h.queryClock.time(),
      id: Math.floor(scheduler.random() * 0xffffffff),
      addr: c.advertiseAddr,
      port: c.advertisePort,
      node: this.h.name,
      filters: o.filters ?? {},
      ack: o.requestAck ?? false,
      timeout,
      name,
      payload,
    };
    this.h.queryClock.increment();
    const key = `${q.lt}:${q.id}`;
    const col = new QueryCollector(scheduler, timeout, () => this.pending.delete(key), o.expectedResponses);
    this.pending.set(key, col);
    this.handle(q);
    this.queue.queue(encodeSerf(q));
    this.h.expediteGossip();
    return col.done;
  }

  defaultTimeout(): number {
    const c = this.h.config;
    return c.memberlist.gossipIntervalMs * c.queryTimeoutMult * Math.ceil(Math.log10(this.h.numNodes() + 1));
  }

  /** Answers the query if it is new and matches us; true when new (worth re-gossiping). */
  handle(q: QueryMsg): boolean {
    const { config, scheduler, queryClock } = this.h;
    queryClock.witness(q.lt + 1);
    if (!this.seen.add(q.lt, q.id, queryClock.time())) return false;
    if (!matchesFilters(q.filters, this.h.name, this.h.tags())) return true;
    const reply = (ack: boolean, payload: Uint8Array) => {
      const r = encodeSerf({ s: 'qresp', lt: q.lt, id: q.id, from: this.h.name, ack, payload });
      if (q.node === this.h.name) this.h.deliverLocally(r);
      else this.h.sendUserPacket(q.addr, q.port, r);
    };
    if (q.ack) reply(true, new Uint8Array(0));
    const deadline = scheduler.now() + q.timeout;
    let responded = false;
    this.h.listeners.emit({
      type: 'query',
      name: q.name,
      payload: q.payload,
      ltime: q.lt,
      respond: async (payload: Uint8Array) => {
        if (responded) throw new Error('query already responded to');
        if (scheduler.now() > deadline) throw new Error('response is past the query deadline');
        if (payload.length > config.queryResponseSizeLimit) throw QueryTooLarge(payload.length, config.queryResponseSizeLimit);
        responded = true;
        reply(false, payload);
      },
    });
    return true;
  }

  /** An ack or response to one of our queries (late ones, after the deadline, are dropped). */
  handleResponse(m: QueryResponseMsg): void {
    this.pending.get(`${m.lt}:${m.id}`)?.[m.ack ? 'ack' : 'response'](m.from, m.payload as Uint8Array);
  }

  /** Resolves every outstanding query with what it has (shutdown). */
  stop(): void {
    for (const q of this.pending.values()) q.close();
  }
}
