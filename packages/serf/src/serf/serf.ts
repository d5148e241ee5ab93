import type {
  GossipEncryption,
  Logger,
  Member,
  MemberStatus,
  MembershipEvent,
  MembershipListener,
  Pool,
} from '@proconsul/kernel';
import { GossipShutdown, GossipTagsTooLarge, QueryTooLarge, UserEventTooLarge } from '../errors.js';
import { BroadcastQueue } from '../memberlist/broadcast-queue.js';
import { Memberlist } from '../memberlist/memberlist.js';
import type { MemberlistDelegate, NodeInfo } from '../memberlist/node-state.js';
import { sleep, waitAtMost, type Scheduler, type TimerHandle } from '../memberlist/scheduler.js';
import type { Transport } from '../memberlist/transport.js';
import { IntentBuffer } from './intent-buffer.js';
import { LamportClock } from './lamport-clock.js';
import { QueryCollector, type QueryResult } from './query-collector.js';
import { matchesFilters } from './query-filter.js';
import { RecentBuffer } from './recent-buffer.js';
import type { SerfConfig } from './serf-config.js';
import {
  decodeSerf,
  decodeTags,
  encodeSerf,
  encodeTags,
  type QueryFilters,
  type SerfMsg,
  type SerfPushPull,
} from './serf-messages.js';
import { readSnapshot, Snapshotter } from './snapshot.js';
import { UserEventCoalescer } from './user-event-coalescer.js';

const META_LIMIT = 512;

export interface SerfOptions {
  readonly config: SerfConfig;
  readonly pool: Pool;
  readonly transport: Transport;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  readonly encryption?: GossipEncryption;
}

export interface QueryOptions {
  readonly filters?: QueryFilters;
  readonly requestAck?: boolean;
  readonly timeoutMs?: number;
  /** Finish as soon as this many responses arrived instead of at the deadline. */
  readonly expectedResponses?: number;
}

interface MemberState {
  name: string;
  addr: string;
  port: number;
  tags: Record<string, string>;
  status: MemberStatus;
  vsn: number[];
  statusLTime: number;
  /** Scheduler time it failed or left (for reconnect and reaping). */
  leaveTime: number;
}

/**
 * Serf on top of memberlist: member tags and statuses (alive / leaving / left / failed),
 * Lamport-ordered join and leave intents, user events, queries, reconnection and reaping.
 * Single-threaded like memberlist; listeners are called synchronously and must not block.
 */
export class Serf implements MemberlistDelegate {
  readonly ml: Memberlist;
  readonly clock = new LamportClock();
  readonly eventClock = new LamportClock();
  readonly queryClock = new LamportClock();
  readonly pool: Pool;
  private readonly c: SerfConfig;
  private readonly s: Scheduler;
  private readonly log: Logger;
  private readonly memberMap = new Map<string, MemberState>();
  private readonly intents: IntentBuffer;
  private readonly events: RecentBuffer<{ name: string; payload: Uint8Array }>;
  private readonly queriesSeen: RecentBuffer<number>;
  private readonly intentQueue: BroadcastQueue;
  private readonly eventQueue: BroadcastQueue;
  private readonly queryQueue: BroadcastQueue;
  private readonly coalescer: UserEventCoalescer;
  private readonly pending = new Map<string, QueryCollector>();
  private readonly listeners = new Set<MembershipListener>();
  private readonly timers: TimerHandle[] = [];
  private readonly snapshot: Snapshotter | undefined;
  private readonly restored: ReturnType<typeof readSnapshot>;
  private tags: Record<string, string>;
  private state: 'init' | 'alive' | 'leaving' | 'left' | 'shutdown' = 'init';
  private eventMinTime = 0;
  private joinIgnoresOldEvents = false;

  constructor(o: SerfOptions) {
    this.c = o.config;
    this.s = o.scheduler;
    this.log = o.logger;
    this.pool = o.pool;
    this.tags = { ...o.config.tags };
    const now = () => this.s.now();
    this.intents = new IntentBuffer(this.c.recentIntentTimeoutMs, now);
    this.events = new RecentBuffer(
      this.c.eventBufferSize,
      (a, b) => a.name === b.name && Buffer.compare(Buffer.from(a.payload), Buffer.from(b.payload)) === 0,
    );
    this.queriesSeen = new RecentBuffer(this.c.queryBufferSize, (a, b) => a === b);
    const n = () => this.ml.numNodes();
    this.intentQueue = new BroadcastQueue(this.c.memberlist.retransmitMult, n);
    this.eventQueue = new BroadcastQueue(this.c.memberlist.retransmitMult, n);
    this.queryQueue = new BroadcastQueue(this.c.memberlist.retransmitMult, n);
    this.coalescer = new UserEventCoalescer(this.s, this.c.userCoalescePeriodMs, this.c.userQuiescentPeriodMs, (e) =>
      this.emit({ type: 'user', ...e }),
    );
    this.restored = this.c.snapshotPath ? readSnapshot(this.c.snapshotPath) : undefined;
    this.snapshot = this.c.snapshotPath ? new Snapshotter(this.c.snapshotPath, this.restored) : undefined;
    this.ml = new Memberlist({
      config: this.c.memberlist,
      transport: o.transport,
      scheduler: o.scheduler,
      logger: o.logger,
      delegate: this,
      encryption: o.encryption,
    });
  }

  get name(): string {
    return this.c.memberlist.name;
  }

  /** Starts gossip; with a snapshot from a previous run, rejoins its members in the background. */
  start(): void {
    if (this.restored) {
      this.clock.witness(this.restored.clock);
      this.eventClock.witness(this.restored.eventClock);
      this.queryClock.witness(this.restored.queryClock);
      // Events up to the restored clock were already delivered before the restart.
      this.eventMinTime = this.restored.eventClock;
    }
    this.state = 'alive';
    this.ml.start();
    this.broadcastJoin();
    this.every(this.c.reapIntervalMs, () => this.reap());
    this.every(this.c.reconnectIntervalMs, () => this.reconnect());
    const prev = this.restored ? [...this.restored.alive].filter(([n]) => n !== this.name).map(([, a]) => a) : [];
    if (prev.length > 0) {
      if (this.restored!.left && !this.c.rejoinAfterLeave) {
        this.log.info('ignoring previous membership snapshot: we left gracefully and rejoin_after_leave is off');
      } else {
        this.log.info('rejoining members from the snapshot', { count: prev.length });
        this.join(prev, true).catch((e: unknown) => this.log.warn('rejoin from snapshot failed', { error: e }));
      }
    }
  }

  /** Joins through the given addresses; `ignoreOld` skips user events from before the join. */
  async join(addresses: readonly string[], ignoreOld = true): Promise<number> {
    if (this.state !== 'alive') throw GossipShutdown();
    this.joinIgnoresOldEvents = ignoreOld;
    try {
      const n = await this.ml.join(addresses);
      // A fresh join intent outranks any leave intent about us still circulating.
      this.broadcastJoin();
      return n;
    } finally {
      this.joinIgnoresOldEvents = false;
    }
  }

  members(): Member[] {
    return [...this.memberMap.values()].map(toMember);
  }

  localMember(): Member {
    const m = this.memberMap.get(this.name);
    if (m) return toMember(m);
    const c = this.c.memberlist;
    return toMember({
      name: this.name,
      addr: c.advertiseAddr,
      port: c.advertisePort,
      tags: this.tags,
      status: 'none',
      vsn: [...c.protocolVersion, ...c.delegateVersion],
      statusLTime: 0,
      leaveTime: 0,
    });
  }

  subscribe(l: MembershipListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  async setTags(tags: Readonly<Record<string, string>>): Promise<void> {
    const size = encodeTags(tags).length;
    if (size > META_LIMIT) throw GossipTagsTooLarge(size, META_LIMIT);
    this.tags = { ...tags };
    this.ml.updateMeta();
  }

  tagsOf(): Readonly<Record<string, string>> {
    return this.tags;
  }

  async userEvent(name: string, payload: Uint8Array, coalesce: boolean): Promise<void> {
    const size = Buffer.byteLength(name) + payload.length;
    if (size > this.c.userEventSizeLimit) throw UserEventTooLarge(size, this.c.userEventSizeLimit);
    const msg: SerfMsg = { s: 'user', lt: this.eventClock.time(), name, payload, cc: coalesce };
    this.eventClock.increment();
    this.handleUserEvent(msg);
    this.eventQueue.queue(encodeSerf(msg));
    this.ml.expediteGossip();
  }

  /** Sends a query to matching members; resolves at the deadline with what came back. */
  async query(name: string, payload: Uint8Array, o: QueryOptions = {}): Promise<QueryResult> {
    if (this.state !== 'alive') throw GossipShutdown();
    const size = Buffer.byteLength(name) + payload.length;
    if (size > this.c.querySizeLimit) throw QueryTooLarge(size, this.c.querySizeLimit);
    const timeout = o.timeoutMs ?? this.defaultQueryTimeout();
    const c = this.c.memberlist;
    const q: Extract<SerfMsg, { s: 'query' }> = {
      s: 'query',
      lt: this.queryClock.time(),
      id: Math.floor(this.s.random() * 0xffffffff),
      addr: c.advertiseAddr,
      port: c.advertisePort,
      node: this.name,
      filters: o.filters ?? {},
      ack: o.requestAck ?? false,
      timeout,
      name,
      payload,
    };
    this.queryClock.increment();
    const key = `${q.lt}:${q.id}`;
    const col = new QueryCollector(this.s, timeout, () => this.pending.delete(key), o.expectedResponses);
    this.pending.set(key, col);
    this.handleQuery(q);
    this.queryQueue.queue(encodeSerf(q));
    this.ml.expediteGossip();
    return col.done;
  }

  defaultQueryTimeout(): number {
    const n = this.ml.numNodes();
    return this.c.memberlist.gossipIntervalMs * this.c.queryTimeoutMult * Math.ceil(Math.log10(n + 1));
  }

  /** Marks a failed member left (prune: forget it now), as `consul force-leave`. */
  async forceLeave(node: string, prune: boolean): Promise<void> {
    const msg: Extract<SerfMsg, { s: 'leave' }> = { s: 'leave', lt: this.clock.increment(), node, prune };
    this.handleLeaveIntent(msg);
    await this.broadcastAndWait(this.intentQueue, encodeSerf(msg), `intent:${node}`);
  }

  /** Graceful leave: intent, memberlist leave, a short propagation delay; then quiet. */
  async leave(): Promise<void> {
    if (this.state !== 'alive') return;
    this.state = 'leaving';
    const msg: Extract<SerfMsg, { s: 'leave' }> = { s: 'leave', lt: this.clock.increment(), node: this.name, prune: false };
    this.handleLeaveIntent(msg);
    await this.broadcastAndWait(this.intentQueue, encodeSerf(msg), `intent:${this.name}`);
    await this.ml.leave(this.c.broadcastTimeoutMs);
    if (this.hasAlivePeers()) await sleep(this.s, this.c.leavePropagateDelayMs).promise;
    const me = this.memberMap.get(this.name);
    if (me) me.status = 'left';
    this.state = 'left';
    this.snapshot?.leave();
  }

  async shutdown(): Promise<void> {
    if (this.state === 'shutdown') return;
    if (this.state !== 'left') this.log.warn('shutdown without leave');
    this.state = 'shutdown';
    for (const t of this.timers) t.cancel();
    this.coalescer.stop();
    for (const q of this.pending.values()) q.close();
    this.saveClocks();
    this.snapshot?.close();
    await this.ml.shutdown();
  }

  // ---- MemberlistDelegate ----

  nodeMeta(limit: number): Uint8Array {
    const b = encodeTags(this.tags);
    if (b.length > limit) throw GossipTagsTooLarge(b.length, limit);
    return b;
  }

  notifyMsg(data: Uint8Array): void {
    const m = decodeSerf<SerfMsg>(data);
    if (!m || typeof m.s !== 'string') return;
    let rebroadcast = false;
    let queue = this.intentQueue;
    let key: string | undefined;
    switch (m.s) {
      case 'join':
        rebroadcast = this.handleJoinIntent(m);
        key = `intent:${m.node}`;
        break;
      case 'leave':
        rebroadcast = this.handleLeaveIntent(m);
        key = `intent:${m.node}`;
        break;
      case 'user':
        rebroadcast = this.handleUserEvent(m);
        queue = this.eventQueue;
        break;
      case 'query':
        rebroadcast = this.handleQuery(m);
        queue = this.queryQueue;
        break;
      case 'qresp':
        this.pending.get(`${m.lt}:${m.id}`)?.[m.ack ? 'ack' : 'response'](m.from, m.payload as Uint8Array);
        return;
    }
    if (!rebroadcast) return;
    queue.queue(Uint8Array.from(data), key);
    // Events and queries are news someone is waiting for: pass them on now, not at the next tick.
    if (queue !== this.intentQueue) this.ml.expediteGossip();
  }

  getBroadcasts(overhead: number, limit: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    let left = limit;
    for (const q of [this.intentQueue, this.eventQueue, this.queryQueue]) {
      const got = q.getBroadcasts(overhead, left);
      for (const m of got) left -= m.length + overhead;
      out.push(...got);
    }
    return out;
  }

  localState(): Uint8Array {
    const status: Record<string, number> = {};
    const left: string[] = [];
    for (const m of this.memberMap.values()) {
      status[m.name] = m.statusLTime;
      if (m.status === 'left') left.push(m.name);
    }
    const events = this.events.entries().map((e) => ({ lt: e.lt, events: e.items }));
    const pp: SerfPushPull = {
      lt: this.clock.time(),
      status,
      left,
      elt: this.eventClock.time(),
      events,
      qlt: this.queryClock.time(),
    };
    return encodeSerf(pp);
  }

  mergeRemoteState(data: Uint8Array, join: boolean): void {
    const pp = decodeSerf<SerfPushPull>(data);
    if (!pp || typeof pp.status !== 'object') return;
    this.clock.witness(pp.lt);
    const left = new Set(Array.isArray(pp.left) ? pp.left : []);
    for (const [node, lt] of Object.entries(pp.status)) {
      if (left.has(node)) this.handleLeaveIntent({ s: 'leave', lt, node, prune: false });
      else this.handleJoinIntent({ s: 'join', lt, node });
    }
    if (join && this.joinIgnoresOldEvents) this.eventMinTime = Math.max(this.eventMinTime, pp.elt);
    this.eventClock.witness(pp.elt);
    this.queryClock.witness(pp.qlt);
    for (const e of Array.isArray(pp.events) ? pp.events : [])
      for (const x of e.events) this.handleUserEvent({ s: 'user', lt: e.lt, name: x.name, payload: x.payload, cc: false });
  }

  notifyJoin(n: NodeInfo): void {
    let m = this.memberMap.get(n.name);
    const fresh = !m;
    if (!m) {
      m = {
        name: n.name,
        addr: n.addr,
        port: n.port,
        tags: decodeTags(n.meta),
        status: 'alive',
        vsn: n.vsn,
        statusLTime: 0,
        leaveTime: 0,
      };
      this.memberMap.set(n.name, m);
      const intent = this.intents.take(n.name);
      if (intent) {
        m.statusLTime = intent.lt;
        if (intent.type === 'leave') m.status = 'leaving';
      }
    } else {
      Object.assign(m, { addr: n.addr, port: n.port, tags: decodeTags(n.meta), vsn: n.vsn, status: 'alive', leaveTime: 0 });
    }
    if (!fresh) this.log.info('member rejoined', { member: n.name, pool: this.pool });
    else this.log.info('member joined', { member: n.name, addr: `${n.addr}:${n.port}`, pool: this.pool });
    this.snapshot?.alive(n.name, `${n.addr}:${n.port}`);
    this.emitMember('member-join', m);
  }

  notifyLeave(n: NodeInfo): void {
    const m = this.memberMap.get(n.name);
    if (!m || m.status === 'left' || m.status === 'failed') return;
    m.leaveTime = this.s.now();
    if (m.status === 'leaving' || n.state === 'left') {
      m.status = 'left';
      this.log.info('member left', { member: n.name, pool: this.pool });
      this.emitMember('member-leave', m);
    } else {
      m.status = 'failed';
      this.log.info('member failed, marking health critical', { member: n.name, pool: this.pool });
      this.emitMember('member-failed', m);
    }
    this.snapshot?.notAlive(n.name);
  }

  notifyUpdate(n: NodeInfo): void {
    const m = this.memberMap.get(n.name);
    if (!m) return;
    Object.assign(m, { addr: n.addr, port: n.port, tags: decodeTags(n.meta), vsn: n.vsn });
    this.emitMember('member-update', m);
  }

  notifyAlive(n: NodeInfo): string | undefined {
    return this.conflict(n);
  }

  notifyMerge(nodes: readonly NodeInfo[]): string | undefined {
    for (const n of nodes) {
      if (n.state !== 'alive' && n.state !== 'suspect') continue;
      const r = this.conflict(n);
      if (r) return r;
    }
    return undefined;
  }

  // ---- message handlers ----

  /** Node names are identities: a live member's name with another node ID is refused. */
  private conflict(n: NodeInfo): string | undefined {
    const id = decodeTags(n.meta)['id'];
    if (!id) return undefined;
    const mine = n.name === this.name ? { tags: this.tags, status: 'alive' as MemberStatus } : this.memberMap.get(n.name);
    const live = (s: MemberStatus) => s === 'alive' || s === 'leaving';
    if (mine && live(mine.status) && mine.tags['id'] && mine.tags['id'] !== id) {
      const reason = `member "${n.name}" already exists with node ID ${mine.tags['id']}; refusing ${n.addr}:${n.port} with node ID ${id} (duplicate node name)`;
      this.log.error('refusing member with a duplicate node name', {
        member: n.name,
        existingId: mine.tags['id'],
        newcomerId: id,
        newcomer: `${n.addr}:${n.port}`,
      });
      return reason;
    }
    return undefined;
  }

  private handleJoinIntent(j: Extract<SerfMsg, { s: 'join' }>): boolean {
    this.clock.witness(j.lt);
    const m = this.memberMap.get(j.node);
    if (!m) return this.intents.upsert(j.node, 'join', j.lt);
    if (j.lt <= m.statusLTime) return false;
    m.statusLTime = j.lt;
    if (m.status === 'leaving') m.status = 'alive';
    return true;
  }

  private handleLeaveIntent(l: Extract<SerfMsg, { s: 'leave' }>): boolean {
    this.clock.witness(l.lt);
    const m = this.memberMap.get(l.node);
    if (!m) return this.intents.upsert(l.node, 'leave', l.lt);
    if (l.lt <= m.statusLTime) return false;
    if (l.node === this.name && this.state === 'alive') {
      // Someone says we are leaving (stale intent or force-leave): refute with a newer join.
      this.log.debug('refuting an older leave intent about us');
      this.broadcastJoin();
      return false;
    }
    m.statusLTime = l.lt;
    switch (m.status) {
      case 'alive':
        m.status = 'leaving';
        return true;
      case 'failed':
        m.status = 'left';
        this.log.info('failed member forced to left', { member: m.name, pool: this.pool });
        this.emitMember('member-leave', m);
        if (l.prune) this.erase(m);
        return true;
      case 'left':
        if (l.prune) this.erase(m);
        return l.prune;
      default:
        return false;
    }
  }

  private handleUserEvent(e: Extract<SerfMsg, { s: 'user' }>): boolean {
    this.eventClock.witness(e.lt + 1);
    if (e.lt < this.eventMinTime) return false;
    const payload = e.payload instanceof Uint8Array ? e.payload : new Uint8Array(0);
    if (!this.events.add(e.lt, { name: e.name, payload }, this.eventClock.time())) return false;
    this.coalescer.push({ name: e.name, payload, ltime: e.lt, coalesce: !!e.cc });
    return true;
  }

  private handleQuery(q: Extract<SerfMsg, { s: 'query' }>): boolean {
    this.queryClock.witness(q.lt + 1);
    if (!this.queriesSeen.add(q.lt, q.id, this.queryClock.time())) return false;
    if (!matchesFilters(q.filters, this.name, this.tags)) return true;
    const reply = (ack: boolean, payload: Uint8Array) => {
      const r = encodeSerf({ s: 'qresp', lt: q.lt, id: q.id, from: this.name, ack, payload });
      if (q.node === this.name) this.notifyMsg(r);
      else this.ml.sendUserPacket(q.addr, q.port, r);
    };
    if (q.ack) reply(true, new Uint8Array(0));
    const deadline = this.s.now() + q.timeout;
    let responded = false;
    this.emit({
      type: 'query',
      name: q.name,
      payload: q.payload,
      ltime: q.lt,
      respond: async (payload: Uint8Array) => {
        if (responded) throw new Error('query already responded to');
        if (this.s.now() > deadline) throw new Error('response is past the query deadline');
        if (payload.length > this.c.queryResponseSizeLimit) throw QueryTooLarge(payload.length, this.c.queryResponseSizeLimit);
        responded = true;
        reply(false, payload);
      },
    });
    return true;
  }

  // ---- periodic ----

  private reap(): void {
    const now = this.s.now();
    for (const m of [...this.memberMap.values()]) {
      const age = now - m.leaveTime;
      if (
        (m.status === 'failed' && age > this.c.reconnectTimeoutMs) ||
        (m.status === 'left' && age > this.c.tombstoneTimeoutMs)
      ) {
        this.log.info('reaping member', { member: m.name, status: m.status, pool: this.pool });
        this.erase(m);
      }
    }
    this.intents.expire();
    this.saveClocks();
  }

  /** Retries one failed member now and then (probability failed/alive, as serf does). */
  private reconnect(): void {
    const failed = [...this.memberMap.values()].filter((m) => m.status === 'failed');
    if (failed.length === 0 || this.state !== 'alive') return;
    const alive = [...this.memberMap.values()].filter((m) => m.status === 'alive').length;
    if (this.s.random() > failed.length / Math.max(1, alive)) return;
    const m = failed[Math.floor(this.s.random() * failed.length)]!;
    this.log.debug('attempting reconnect', { member: m.name, addr: `${m.addr}:${m.port}` });
    this.ml.join([`${m.addr}:${m.port}`]).catch(() => {});
  }

  private erase(m: MemberState): void {
    this.memberMap.delete(m.name);
    this.snapshot?.notAlive(m.name);
    this.emitMember('member-reap', m);
  }

  private every(ms: number, fn: () => void): void {
    const tick = () => {
      if (this.state === 'shutdown') return;
      fn();
      this.timers.push(this.s.setTimeout(tick, ms));
    };
    this.timers.push(this.s.setTimeout(tick, ms));
  }

  private broadcastJoin(): void {
    const msg: SerfMsg = { s: 'join', lt: this.clock.increment(), node: this.name };
    const me = this.memberMap.get(this.name);
    if (me) me.statusLTime = msg.lt;
    this.intentQueue.queue(encodeSerf(msg), `intent:${this.name}`);
  }

  private async broadcastAndWait(q: BroadcastQueue, msg: Uint8Array, key: string): Promise<void> {
    let done!: () => void;
    const spread = new Promise<void>((r) => (done = r));
    q.queue(msg, key, done);
    if (this.hasAlivePeers()) await waitAtMost(this.s, spread, this.c.broadcastTimeoutMs);
  }

  private hasAlivePeers(): boolean {
    for (const m of this.memberMap.values()) if (m.name !== this.name && m.status === 'alive') return true;
    return false;
  }

  private saveClocks(): void {
    this.snapshot?.clocks(this.clock.time(), this.eventClock.time(), this.queryClock.time());
  }

  private emitMember(
    type: 'member-join' | 'member-leave' | 'member-failed' | 'member-update' | 'member-reap',
    m: MemberState,
  ): void {
    this.emit({ type, pool: this.pool, members: [toMember(m)] });
  }

  private emit(e: MembershipEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.log.error('membership listener failed', { error: err });
      }
    }
  }
}

function toMember(m: MemberState): Member {
  const v = m.vsn;
  return {
    name: m.name,
    addr: m.addr,
    port: m.port,
    tags: { ...m.tags },
    status: m.status,
    protocolMin: v[0] ?? 1,
    protocolMax: v[1] ?? 5,
    protocolCur: v[2] ?? 2,
    delegateMin: v[3] ?? 2,
    delegateMax: v[4] ?? 5,
    delegateCur: v[5] ?? 4,
  };
}
