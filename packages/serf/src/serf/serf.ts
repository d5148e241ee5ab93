import type { Coord, GossipEncryption, Logger, Member, MembershipListener, Pool } from '@proconsul/kernel';
import { Prng } from '../sim/prng.js';
import { PoolCoordinates } from '../coordinate/pool-coordinates.js';
import { GossipShutdown, GossipTagsTooLarge } from '../errors.js';
import { Memberlist } from '../memberlist/memberlist.js';
import type { MemberlistDelegate, NodeInfo } from '../memberlist/node-state.js';
import { sleep, type Scheduler } from '../memberlist/scheduler.js';
import type { Transport } from '../memberlist/transport.js';
import { IntentBuffer } from './intent-buffer.js';
import { LamportClock } from './lamport-clock.js';
import { MemberIntents } from './member-intents.js';
import { MemberTable, toMember } from './member-table.js';
import { MembershipListeners } from './membership-listeners.js';
import { MessageRouter } from './message-router.js';
import type { QueryResult } from './query-collector.js';
import { Queries, type QueryOptions } from './query-handling.js';
import { ReconnectReaper } from './reconnect-reaper.js';
import type { SerfConfig } from './serf-config.js';
import { encodeTags } from './serf-messages.js';
import { readSnapshot, Snapshotter } from './snapshot.js';
import { StateSync } from './state-sync.js';
import { UserEvents } from './user-events.js';

export type { QueryOptions } from './query-handling.js';

const META_LIMIT = 512;

export interface SerfOptions {
  readonly config: SerfConfig;
  readonly pool: Pool;
  readonly transport: Transport;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  readonly encryption?: GossipEncryption;
}

/**
 * Serf on top of memberlist: member tags and statuses (alive / leaving / left / failed),
 * Lamport-ordered join and leave intents, user events, queries, reconnection and reaping.
 * Single-threaded like memberlist; listeners are called synchronously and must not block.
 *
 * This class holds the lifecycle and the public API, and routes memberlist's upcalls to
 * the parts: MemberTable (members and their events), MemberIntents, UserEvents, Queries,
 * ReconnectReaper, StateSync (push/pull) and MessageRouter (serf messages in and out).
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
  private readonly listeners: MembershipListeners;
  private readonly table: MemberTable;
  private readonly intents: MemberIntents;
  private readonly events: UserEvents;
  private readonly queries: Queries;
  private readonly reaper: ReconnectReaper;
  private readonly sync: StateSync;
  private readonly router: MessageRouter;
  private readonly snapshot: Snapshotter | undefined;
  private readonly restored: ReturnType<typeof readSnapshot>;
  private readonly coords: PoolCoordinates | undefined;
  private tags: Record<string, string>;
  private state: 'init' | 'alive' | 'leaving' | 'left' | 'shutdown' = 'init';
  private joinIgnoresOldEvents = false;

  constructor(o: SerfOptions) {
    const c = (this.c = o.config);
    this.s = o.scheduler;
    this.log = o.logger;
    this.pool = o.pool;
    this.tags = { ...c.tags };
    this.restored = c.snapshotPath ? readSnapshot(c.snapshotPath) : undefined;
    this.snapshot = c.snapshotPath ? new Snapshotter(c.snapshotPath, this.restored) : undefined;
    this.ml = new Memberlist({
      config: c.memberlist,
      transport: o.transport,
      scheduler: o.scheduler,
      logger: o.logger,
      delegate: this,
      encryption: o.encryption,
    });
    this.listeners = new MembershipListeners(o.logger);
    if (!c.disableCoordinates) {
      // Its own seeded stream (from our name): replayable in simulation without shifting
      // the scheduler's random sequence that probing and gossip draw from.
      const rng = new Prng(nameSeed(this.name));
      const coords = (this.coords = new PoolCoordinates(this.name, undefined, () => rng.next()));
      this.listeners.subscribe((e) => {
        if (e.type === 'member-reap') for (const m of e.members) coords.forget(m.name);
      });
    }
    const parts = {
      name: this.name,
      pool: o.pool,
      log: o.logger,
      config: c,
      scheduler: o.scheduler,
      clock: this.clock,
      eventClock: this.eventClock,
      queryClock: this.queryClock,
      snapshot: this.snapshot,
      listeners: this.listeners,
      intentBuffer: new IntentBuffer(c.recentIntentTimeoutMs, () => this.s.now()),
      tags: () => this.tags,
      numNodes: () => this.ml.numNodes(),
      expediteGossip: () => this.ml.expediteGossip(),
      isAlive: () => this.state === 'alive',
    };
    this.table = new MemberTable(parts);
    this.intents = new MemberIntents({ ...parts, members: this.table });
    this.events = new UserEvents(parts);
    this.queries = new Queries({
      ...parts,
      sendUserPacket: (addr, port, data) => this.ml.sendUserPacket(addr, port, data),
      deliverLocally: (data) => this.notifyMsg(data),
    });
    this.reaper = new ReconnectReaper({
      ...parts,
      members: this.table,
      isShutdown: () => this.state === 'shutdown',
      join: (address) => this.ml.join([address]),
      saveClocks: () => this.saveClocks(),
    });
    this.sync = new StateSync({ ...parts, members: this.table, intents: this.intents, events: this.events });
    this.router = new MessageRouter({ ...parts, intents: this.intents, events: this.events, queries: this.queries });
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
      this.events.minTime = this.restored.eventClock;
    }
    this.state = 'alive';
    this.ml.start();
    this.intents.broadcastJoin();
    this.reaper.start();
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
      this.intents.broadcastJoin();
      return n;
    } finally {
      this.joinIgnoresOldEvents = false;
    }
  }

  members(): Member[] {
    return [...this.table.values()].map(toMember);
  }

  localMember(): Member {
    const m = this.table.get(this.name);
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
    return this.listeners.subscribe(l);
  }

  /** Our Vivaldi coordinate in this pool; undefined when coordinates are disabled. */
  coordinate(): Coord | undefined {
    return this.coords?.coordinate();
  }

  /** The last coordinate `name` sent us on an ack (ours for our own name). */
  memberCoordinate(name: string): Coord | undefined {
    return this.coords?.of(name);
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
    this.events.fire(name, payload, coalesce);
  }

  /** Sends a query to matching members; resolves at the deadline with what came back. */
  async query(name: string, payload: Uint8Array, o: QueryOptions = {}): Promise<QueryResult> {
    if (this.state !== 'alive') throw GossipShutdown();
    return this.queries.ask(name, payload, o);
  }

  defaultQueryTimeout(): number {
    return this.queries.defaultTimeout();
  }

  /** Marks a failed member left (prune: forget it now), as `consul force-leave`. */
  async forceLeave(node: string, prune: boolean): Promise<void> {
    await this.intents.leave(node, prune);
  }

  /** Graceful leave: intent, memberlist leave, a short propagation delay; then quiet. */
  async leave(): Promise<void> {
    if (this.state !== 'alive') return;
    this.state = 'leaving';
    await this.intents.leave(this.name, false);
    await this.ml.leave(this.c.broadcastTimeoutMs);
    if (this.table.hasAlivePeers()) await sleep(this.s, this.c.leavePropagateDelayMs).promise;
    const me = this.table.get(this.name);
    if (me) me.status = 'left';
    this.state = 'left';
    this.snapshot?.leave();
  }

  async shutdown(): Promise<void> {
    if (this.state === 'shutdown') return;
    if (this.state !== 'left') this.log.warn('shutdown without leave');
    this.state = 'shutdown';
    this.reaper.stop();
    this.events.stop();
    this.queries.stop();
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
    this.router.route(data);
  }

  getBroadcasts(overhead: number, limit: number): Uint8Array[] {
    return this.router.broadcasts(overhead, limit);
  }

  localState(): Uint8Array {
    return this.sync.local();
  }

  mergeRemoteState(data: Uint8Array, join: boolean): void {
    this.sync.merge(data, join && this.joinIgnoresOldEvents);
  }

  notifyJoin(n: NodeInfo): void {
    this.table.join(n);
  }

  notifyLeave(n: NodeInfo): void {
    this.table.leave(n);
  }

  notifyUpdate(n: NodeInfo): void {
    this.table.update(n);
  }

  notifyAlive(n: NodeInfo): string | undefined {
    return this.table.conflict(n);
  }

  ackPayload(): Uint8Array | undefined {
    return this.coords?.ackPayload();
  }

  notifyPingComplete(n: NodeInfo, rttMs: number, payload: Uint8Array | undefined): void {
    this.coords?.observe(n.name, rttMs, payload);
  }

  notifyMerge(nodes: readonly NodeInfo[]): string | undefined {
    for (const n of nodes) {
      if (n.state !== 'alive' && n.state !== 'suspect') continue;
      const r = this.table.conflict(n);
      if (r) return r;
    }
    return undefined;
  }

  private saveClocks(): void {
    this.snapshot?.clocks(this.clock.time(), this.eventClock.time(), this.queryClock.time());
  }
}

function nameSeed(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}
