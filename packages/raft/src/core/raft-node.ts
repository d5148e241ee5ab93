import type { Fsm, KeyValueStore, Logger } from '@proconsul/kernel';
import { ConsensusTimeout, NotLeader } from '@proconsul/kernel';
import type { Clock, Random } from './clock.js';
import type { ConfigurationData, EntryKind, LogEntry, RaftMessage, ServerId } from './messages.js';
import type { RaftConfig } from './raft-config.js';
import type { RaftTransport } from './transport.js';
import { EMPTY_CONFIGURATION, findServer, isVoter, voterIds } from './configuration.js';
import { RaftLog } from './raft-log.js';
import { LogStore } from '../storage/log-store.js';
import { StableStore } from '../storage/stable-store.js';
import { SnapshotStore } from '../storage/snapshot-store.js';
import { Election } from './election.js';
import { FollowerHandler } from './follower.js';
import { Replicator } from './replicator.js';
import { Snapshotter } from './snapshotter.js';
import { ApplyFutures } from './apply-futures.js';
import { ConfigChangeInProgress, LeadershipLost, RaftAlreadyBootstrapped, RaftShutdown } from '../errors.js';

export type Role = 'follower' | 'precandidate' | 'candidate' | 'leader';

/** Hooks for tests and the simulator's invariant checks; called synchronously. */
export interface RaftObserver {
  onLeader?(node: RaftNode): void;
  onApply?(node: RaftNode, entry: LogEntry): void;
}

export interface RaftStores {
  /** StorageEngine.open('raft-log') */
  readonly log: KeyValueStore;
  /** StorageEngine.open('raft-stable') */
  readonly stable: KeyValueStore;
  /** StorageEngine.open('raft-snapshots') */
  readonly snapshots: KeyValueStore;
}

export interface RaftNodeOptions {
  readonly id: ServerId;
  readonly config: RaftConfig;
  readonly clock: Clock;
  readonly random: Random;
  readonly transport: RaftTransport;
  readonly fsm: Fsm;
  readonly stores: RaftStores;
  readonly logger: Logger;
  readonly observer?: RaftObserver;
}

/**
 * One raft server: the state machine of the Raft thesis with pre-vote, check-quorum,
 * leader stickiness, pipelined replication, leases, ReadIndex, leadership transfer,
 * snapshots and single-server membership changes.
 *
 * Threading: everything runs on the JS thread. Message handlers mutate state
 * synchronously; only disk writes and FSM restore are asynchronous, and replies that
 * depend on a write are sent after it is durable. All time comes from the injected
 * Clock and all randomness from `random`, so a simulation replays exactly.
 * The role-specific logic lives in election.ts, follower.ts, replicator.ts and
 * snapshotter.ts, which operate on this object's (internal, public) fields.
 */
export class RaftNode {
  readonly id: ServerId;
  readonly cfg: RaftConfig;
  readonly clock: Clock;
  readonly random: Random;
  readonly transport: RaftTransport;
  readonly fsm: Fsm;
  readonly logger: Logger;
  readonly observer: RaftObserver;
  readonly logStore: LogStore;
  readonly stableStore: StableStore;
  snapshotStore!: SnapshotStore;

  role: Role = 'follower';
  term = 0;
  votedFor: ServerId | undefined;
  leaderId: ServerId | undefined;
  /** When we last heard from a leader of our term (stickiness, follower timer). */
  lastLeaderContact = -Infinity;
  log = new RaftLog();
  commitIndex = 0;
  lastApplied = 0;
  /** Latest configuration in the log (in force as soon as appended) and its index. */
  config: ConfigurationData = EMPTY_CONFIGURATION;
  configIndex = 0;
  /** Configuration as of lastApplied (what a snapshot at lastApplied records). */
  appliedConfig: ConfigurationData = EMPTY_CONFIGURATION;
  /** Highest log index known durable on this server (the leader's own match index). */
  durableIndex = 0;
  /** Bumped by every suffix truncation so stale write completions cannot raise durableIndex. */
  private logGeneration = 0;
  /** An FSM restore is running: applies and log changes wait. */
  restoring = false;
  bootstrapFlag = false;
  stopped = false;
  fatalError: unknown;

  readonly election: Election;
  readonly follower: FollowerHandler;
  readonly snapshotter: Snapshotter;
  readonly futures: ApplyFutures;
  replicator: Replicator | undefined;

  private electionTimerCancel: (() => void) | undefined;
  private periodicCancel: (() => void) | undefined;
  private readonly leadershipListeners = new Set<(isLeader: boolean) => void>();
  private addressBook: ReadonlyMap<ServerId, string> = new Map();
  private applyWaiters: { index: number; resolve: () => void }[] = [];

  constructor(o: RaftNodeOptions) {
    this.id = o.id;
    this.cfg = o.config;
    this.clock = o.clock;
    this.random = o.random;
    this.transport = o.transport;
    this.fsm = o.fsm;
    this.logger = o.logger;
    this.observer = o.observer ?? {};
    const onError = (err: unknown) => this.fatal(err);
    this.logStore = new LogStore(o.stores.log, onError);
    this.stableStore = new StableStore(o.stores.stable, onError);
    this.election = new Election(this);
    this.follower = new FollowerHandler(this);
    this.snapshotter = new Snapshotter(this);
    this.futures = new ApplyFutures(this);
  }

  /** Open the stores and rebuild state: snapshot into the FSM, then the log. */
  static async open(o: RaftNodeOptions): Promise<RaftNode> {
    const node = new RaftNode(o);
    node.snapshotStore = await SnapshotStore.open(o.stores.snapshots, o.config.snapshotChunkBytes);
    const stable = await node.stableStore.load();
    const meta = node.snapshotStore.latest();
    if (meta) {
      await node.fsm.restore(node.snapshotStore.read(meta));
      node.commitIndex = node.lastApplied = meta.index;
      node.appliedConfig = meta.config;
    }
    const entries = await node.logStore.loadAll();
    node.log = RaftLog.restore(meta && { index: meta.index, term: meta.term, config: meta.config }, entries);
    node.durableIndex = node.log.lastIndex();
    node.term = Math.max(stable.term, node.log.lastTerm());
    node.votedFor = stable.term === node.term ? stable.votedFor : undefined;
    node.bootstrapFlag = stable.bootstrapped;
    node.refreshConfig();
    return node;
  }

  /** Begin participating: receive messages and run timers. */
  start(): void {
    this.transport.setReceiver((m) => this.receive(m));
    // Treat startup like hearing from a leader: a restarted server must not hand out a
    // vote that could cut short a lease it acknowledged just before crashing.
    this.lastLeaderContact = this.clock.now();
    const voters = voterIds(this.config);
    if (voters.length === 1 && voters[0] === this.id) this.armElectionTimer(0);
    else this.armElectionTimer();
    this.schedulePeriodic();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.electionTimerCancel?.();
    this.periodicCancel?.();
    this.replicator?.stop(RaftShutdown());
    this.replicator = undefined;
    this.futures.failAll(RaftShutdown());
    for (const w of this.applyWaiters) w.resolve();
    this.applyWaiters = [];
  }

  hasState(): boolean {
    return this.term > 0 || this.log.lastIndex() > 0 || this.snapshotStore.latest() !== undefined;
  }

  /**
   * Write the initial configuration as entry 1 of term 1, like hashicorp/raft's
   * BootstrapCluster: every server bootstrapped with the same list writes the identical
   * entry, so bootstrapping all of them is safe.
   */
  async bootstrap(config: ConfigurationData): Promise<void> {
    if (this.hasState()) throw RaftAlreadyBootstrapped();
    const entry: LogEntry = { index: 1, term: 1, kind: 'conf', config };
    this.term = 1;
    this.votedFor = undefined;
    this.appendToLog([entry]);
    await Promise.all([this.stableStore.setTermVote(1, undefined), this.logStore.flushed()]);
    const voters = voterIds(config);
    if (!this.stopped && voters.length === 1 && voters[0] === this.id) this.armElectionTimer(0);
  }

  // ---- inbound ---------------------------------------------------------------------

  receive(m: RaftMessage): void {
    if (this.stopped) return;
    if (m.term > this.term && !this.election.ignoresHigherTerm(m)) {
      const leader = m.type === 'append' || m.type === 'snap' || m.type === 'timeoutNow' ? m.from : undefined;
      this.becomeFollower(m.term, leader);
    }
    switch (m.type) {
      case 'vote':
        return this.election.handleRequest(m);
      case 'voteResp':
        return this.election.handleResponse(m);
      case 'append':
        return this.follower.handleAppend(m);
      case 'snap':
        return this.follower.handleSnapshot(m);
      case 'appendResp':
        return this.replicator?.handleAppendResponse(m);
      case 'snapResp':
        return this.replicator?.handleSnapshotResponse(m);
      case 'timeoutNow':
        return this.election.handleTimeoutNow(m);
    }
  }

  send(to: ServerId, m: RaftMessage): void {
    if (this.stopped) return;
    const server = findServer(this.config, to) ?? findServer(this.log.snapshotConfig, to);
    this.transport.send({ id: to, address: server?.address ?? this.addressBook.get(to) ?? '' }, m);
  }

  /** Addresses of servers outside our configuration (from gossip), so we can answer them. */
  learnAddresses(book: ReadonlyMap<ServerId, string>): void {
    this.addressBook = book;
  }

  /** Resolves when every term/vote/log write issued so far is durable. */
  durable(): Promise<unknown> {
    return Promise.all([this.stableStore.flushed(), this.logStore.flushed()]);
  }

  /** Send `m` once everything written so far is durable (replies that promise durability). */
  sendWhenDurable(to: ServerId, m: RaftMessage): void {
    this.durable().then(
      () => this.send(to, m),
      () => {},
    );
  }

  // ---- roles -----------------------------------------------------------------------

  setTerm(term: number, votedFor: ServerId | undefined): void {
    this.term = term;
    this.votedFor = votedFor;
    void this.stableStore.setTermVote(term, votedFor).catch(() => {});
  }

  becomeFollower(term: number, leaderId: ServerId | undefined): void {
    const wasLeader = this.role === 'leader';
    if (term > this.term) this.setTerm(term, undefined);
    this.role = 'follower';
    this.leaderId = leaderId;
    if (wasLeader) {
      this.replicator?.stop(LeadershipLost());
      this.replicator = undefined;
      this.futures.failAll(LeadershipLost());
      this.notifyLeadership(false);
    }
    this.armElectionTimer();
  }

  becomeLeader(): void {
    this.role = 'leader';
    this.leaderId = this.id;
    this.electionTimerCancel?.();
    this.replicator = new Replicator(this);
    this.logger.info('entering leader state', { term: this.term });
    this.observer.onLeader?.(this);
    // A no-op of the new term lets the leader commit (and learn the commit index) at once.
    this.appendLocal('noop');
    this.notifyLeadership(true);
  }

  /** (Re)arm the randomised election timer: heartbeat timeout for followers, election timeout otherwise. */
  armElectionTimer(fixedMs?: number): void {
    this.electionTimerCancel?.();
    if (this.stopped || this.role === 'leader') return;
    const base = this.role === 'follower' ? this.cfg.heartbeatTimeoutMs : this.cfg.electionTimeoutMs;
    const timeout = fixedMs ?? base + Math.floor(this.random() * base);
    this.electionTimerCancel = this.clock.setTimer(timeout, () => this.onElectionTimer(timeout));
  }

  private onElectionTimer(timeout: number): void {
    if (this.stopped || this.role === 'leader') return;
    if (this.role === 'follower' && timeout > 0) {
      // Re-arming on every heartbeat would churn timers; instead check the contact time here.
      const since = this.clock.now() - this.lastLeaderContact;
      if (since < timeout) {
        this.electionTimerCancel = this.clock.setTimer(timeout - since, () => this.onElectionTimer(timeout));
        return;
      }
    }
    if (!isVoter(this.config, this.id) || this.restoring) {
      this.armElectionTimer();
      return;
    }
    this.election.startPreVote();
  }

  onLeadershipChange(listener: (isLeader: boolean) => void): () => void {
    this.leadershipListeners.add(listener);
    return () => this.leadershipListeners.delete(listener);
  }

  private notifyLeadership(isLeader: boolean): void {
    for (const l of [...this.leadershipListeners]) {
      try {
        l(isLeader);
      } catch (err) {
        this.logger.error('leadership listener failed', { error: err });
      }
    }
  }

  // ---- log ---------------------------------------------------------------------------

  /** Append entries to the in-memory log and persist them (group-committed). */
  appendToLog(entries: readonly LogEntry[], truncateFrom?: number): void {
    let deleteTo: number | undefined;
    if (truncateFrom !== undefined && truncateFrom <= this.log.lastIndex()) {
      deleteTo = this.log.lastIndex();
      this.log.truncateFrom(truncateFrom);
      this.logGeneration++;
      this.durableIndex = Math.min(this.durableIndex, truncateFrom - 1);
    }
    this.log.append(entries);
    const gen = this.logGeneration;
    const last = this.log.lastIndex();
    const write = this.logStore.write(entries, deleteTo !== undefined ? truncateFrom : undefined, deleteTo);
    write.then(
      () => {
        if (gen === this.logGeneration && last > this.durableIndex) {
          this.durableIndex = last;
          this.replicator?.onLocalDurable();
        }
      },
      () => {},
    );
    if (truncateFrom !== undefined || entries.some((e) => e.kind === 'conf')) this.refreshConfig();
  }

  /** Leader: append a new entry of the current term; replication is kicked once per tick. */
  appendLocal(kind: EntryKind, data?: Uint8Array, config?: ConfigurationData): LogEntry {
    const entry: LogEntry = {
      index: this.log.lastIndex() + 1,
      term: this.term,
      kind,
      ...(data ? { data } : {}),
      ...(config ? { config } : {}),
    };
    this.appendToLog([entry]);
    this.replicator?.scheduleReplicate();
    return entry;
  }

  /**
   * Follower: a snapshot replaced the state. Keep the log suffix when it continues the
   * snapshot, otherwise drop the whole log (memory and disk).
   */
  installSnapshotState(index: number, term: number, config: ConfigurationData): void {
    const oldFirst = this.log.firstIndex();
    const oldLast = this.log.lastIndex();
    if (this.log.setSnapshot(index, term, config)) {
      this.logGeneration++;
      this.durableIndex = index;
      if (oldLast >= oldFirst) void this.logStore.write([], oldFirst, oldLast).catch(() => {});
    }
    this.commitIndex = Math.max(this.commitIndex, index);
    this.lastApplied = index;
    this.appliedConfig = config;
    this.refreshConfig();
  }

  /** Drop log entries no longer needed behind a snapshot at `index`, keeping trailingLogs. */
  compactLog(index: number, term: number, config: ConfigurationData): void {
    this.log.setSnapshot(index, term, config);
    const upto = Math.min(index, this.log.snapshotIndex) - this.cfg.trailingLogs;
    const first = this.log.firstIndex();
    if (upto < first) return;
    this.log.compactTo(upto);
    void this.logStore.write([], first, upto).catch(() => {});
  }

  refreshConfig(): void {
    const { config, index } = this.log.latestConfig();
    this.config = config;
    this.configIndex = index;
    this.replicator?.syncPeers();
  }

  /** Raise the commit index (callers ensure the Raft commit rules) and apply. */
  advanceCommit(index: number): void {
    if (index <= this.commitIndex) return;
    this.commitIndex = Math.min(index, this.log.lastIndex());
    this.applyCommitted();
  }

  applyCommitted(): void {
    if (this.restoring || this.stopped) return;
    while (this.lastApplied < this.commitIndex) {
      const index = this.lastApplied + 1;
      const entry = this.log.entry(index);
      if (!entry) {
        this.fatal(new Error(`committed entry ${index} missing from log (first ${this.log.firstIndex()})`));
        return;
      }
      let response: unknown;
      if (entry.kind === 'cmd') {
        try {
          response = this.fsm.apply(index, entry.data ?? new Uint8Array(0));
        } catch (err) {
          this.logger.error('fsm apply threw', { index, error: err });
          response = err;
        }
      } else if (entry.kind === 'conf' && entry.config) {
        this.appliedConfig = entry.config;
      }
      this.lastApplied = index;
      this.observer.onApply?.(this, entry);
      this.futures.resolve(entry, response);
      if (entry.kind === 'conf') this.replicator?.onConfigCommitted();
      if (this.stopped) return;
    }
    if (this.applyWaiters.length) {
      const ready = this.applyWaiters.filter((w) => w.index <= this.lastApplied);
      this.applyWaiters = this.applyWaiters.filter((w) => w.index > this.lastApplied);
      for (const w of ready) w.resolve();
    }
    this.replicator?.onApplied();
  }

  /** Resolves when lastApplied >= index (or the node stops). */
  waitApplied(index: number): Promise<void> {
    if (this.lastApplied >= index || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.applyWaiters.push({ index, resolve }));
  }

  // ---- client API used by RaftConsensus -----------------------------------------------

  apply(command: Uint8Array, timeoutMs?: number): Promise<{ index: number; response: unknown }> {
    const check = this.checkLeader();
    if (check) return Promise.reject(check);
    if (this.replicator!.transferring()) return Promise.reject(this.replicator!.transferError());
    const entry = this.appendLocal('cmd', command);
    return this.futures.add(entry, timeoutMs);
  }

  /** ReadIndex: resolves with the index applied locally once leadership is confirmed by a quorum. */
  readBarrier(timeoutMs?: number): Promise<number> {
    const check = this.checkLeader();
    if (check) return Promise.reject(check);
    return this.replicator!.reads.add(timeoutMs);
  }

  hasLease(): boolean {
    return this.role === 'leader' && this.replicator !== undefined && this.replicator.hasLease();
  }

  transferLeadership(targetId?: ServerId): Promise<void> {
    const check = this.checkLeader();
    if (check) return Promise.reject(check);
    return this.replicator!.transfer.start(targetId);
  }

  /**
   * One-server-at-a-time membership change. Waits until this term has committed an entry
   * (the fix to single-server changes in Ongaro's errata), refuses while another change
   * is uncommitted, and resolves when the new configuration is committed.
   */
  async changeConfig(mutate: (c: ConfigurationData) => ConfigurationData, timeoutMs?: number): Promise<void> {
    let check = this.checkLeader();
    if (check) throw check;
    const term = this.term;
    await this.waitApplied(this.replicator!.termStartIndex);
    check = this.checkLeader();
    if (check || this.term !== term) throw check ?? LeadershipLost();
    if (this.configIndex > this.commitIndex) throw ConfigChangeInProgress();
    const entry = this.appendLocal('conf', undefined, mutate(this.config));
    await this.futures.add(entry, timeoutMs);
  }

  /** Error to reject a leader-only call with, or undefined when this server leads. */
  checkLeader(): Error | undefined {
    if (this.stopped) return RaftShutdown();
    if (this.role !== 'leader' || !this.replicator) {
      const leader = this.leaderId ? findServer(this.config, this.leaderId) : undefined;
      return NotLeader(leader?.address);
    }
    return undefined;
  }

  timeoutError(what: string): Error {
    return ConsensusTimeout(what);
  }

  fatal(err: unknown): void {
    if (this.fatalError !== undefined) return;
    this.fatalError = err;
    this.logger.error('raft stopping after a storage failure', { error: err });
    this.stop();
  }

  private schedulePeriodic(): void {
    this.periodicCancel = this.clock.setTimer(this.cfg.snapshotIntervalMs, () => {
      if (this.stopped) return;
      this.snapshotter.maybeSnapshot();
      this.schedulePeriodic();
    });
  }
}
