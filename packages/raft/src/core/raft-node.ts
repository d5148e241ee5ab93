import { NotLeader, type Fsm, type KeyValueStore, type Logger } from '@proconsul/kernel';
import type { Clock, Random } from './clock.js';
import type { ConfigurationData, EntryKind, LogEntry, RaftMessage, ServerId } from './messages.js';
import type { LogView, Role } from './node-context.js';
import type { RaftConfig } from './raft-config.js';
import type { RaftTransport } from './transport.js';
import { EMPTY_CONFIGURATION, findServer, isVoter, voterIds } from './configuration.js';
import { RaftLog } from './raft-log.js';
import { KvLogStore } from '../storage/kv-log-store.js';
import { isRaftLogStore, type RaftLogStore } from '../storage/raft-log-store.js';
import { StableStore } from '../storage/stable-store.js';
import { isRaftSnapshotStore, type RaftSnapshotStore, type SnapshotMeta } from '../storage/raft-snapshot-store.js';
import { KvSnapshotStore } from '../storage/snapshot-store.js';
import { Election, type ElectionHost } from './election.js';
import { FollowerHandler, type FollowerHost } from './follower.js';
import { Replicator, type ReplicatorHost } from './replicator.js';
import { Snapshotter, type SnapshotterHost } from './snapshotter.js';
import { ApplyFutures } from './apply-futures.js';
import {
  ConfigChangeInProgress,
  LeadershipLost,
  LeadershipTransferInProgress,
  RaftAlreadyBootstrapped,
  RaftShutdown,
  RestoreInProgress,
  RestoreInterrupted,
  RaftLogGap,
} from '../errors.js';

export type { Role } from './node-context.js';

/** Hooks for tests and the simulator's invariant checks; called synchronously. */
export interface RaftObserver {
  onLeader?(node: RaftNode): void;
  onApply?(node: RaftNode, entry: LogEntry): void;
  /** Each role entered (metrics: Consul's raft.state.*). */
  onRole?(role: Role): void;
  /** A follower answered an AppendEntries `rttMs` after it was sent (metrics: raft.replication.*). */
  onReplication?(peer: ServerId, rttMs: number, heartbeat: boolean): void;
}

export interface RaftStores {
  /**
   * The raft log: a RaftLogStore (raft_logstore.backend), or StorageEngine.open('raft-log')
   * which is then wrapped in the "boltdb" backend (KvLogStore). RaftNode owns neither:
   * whoever opened it closes it.
   */
  readonly log: KeyValueStore | RaftLogStore;
  /** StorageEngine.open('raft-stable') */
  readonly stable: KeyValueStore;
  /**
   * Snapshots: a RaftSnapshotStore (files under the data_dir), or StorageEngine.open('raft-snapshots')
   * which is then wrapped in a KvSnapshotStore. RaftNode owns neither.
   */
  readonly snapshots: KeyValueStore | RaftSnapshotStore;
}

/** Everything about a server that changes; written only by RaftNode's methods. */
interface NodeState {
  role: Role;
  term: number;
  votedFor: ServerId | undefined;
  leaderId: ServerId | undefined;
  lastLeaderContact: number;
  log: RaftLog;
  commitIndex: number;
  lastApplied: number;
  config: ConfigurationData;
  configIndex: number;
  appliedConfig: ConfigurationData;
  durableIndex: number;
  restoring: boolean;
  /** A user snapshot restore holds the log still: new proposals are refused. */
  userRestoring: boolean;
  bootstrapFlag: boolean;
  stopped: boolean;
  fatalError: unknown;
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
 *
 * Like hashicorp/raft's raft.go, this class owns the server's state and is the only code
 * that changes it. The role-specific logic lives in election.ts, follower.ts,
 * replicator.ts (with read-barriers.ts and leadership-transfer.ts) and snapshotter.ts;
 * each sees the node through its own narrow interface (ElectionHost, FollowerHost,
 * ReplicatorHost, SnapshotterHost) of reads and requests, and those requests are the
 * methods below (becomeCandidate, grantVote, acceptLeader, advanceCommit, stepDown, ...).
 * Outside code reads the state through getters and changes it only through methods.
 */
export class RaftNode implements ElectionHost, FollowerHost, ReplicatorHost, SnapshotterHost {
  readonly id: ServerId;
  readonly cfg: RaftConfig;
  readonly clock: Clock;
  readonly transport: RaftTransport;
  readonly fsm: Fsm;
  readonly logger: Logger;
  private readonly random: Random;
  private readonly observer: RaftObserver;
  private readonly logStore: RaftLogStore;
  private readonly stableStore: StableStore;
  private snapshots!: RaftSnapshotStore;

  private readonly state: NodeState = {
    role: 'follower',
    term: 0,
    votedFor: undefined,
    leaderId: undefined,
    lastLeaderContact: -Infinity,
    log: new RaftLog(),
    commitIndex: 0,
    lastApplied: 0,
    config: EMPTY_CONFIGURATION,
    configIndex: 0,
    appliedConfig: EMPTY_CONFIGURATION,
    durableIndex: 0,
    restoring: false,
    userRestoring: false,
    bootstrapFlag: false,
    stopped: false,
    fatalError: undefined,
  };
  /** Bumped by every suffix truncation so stale write completions cannot raise durableIndex. */
  private logGeneration = 0;

  private readonly election: Election;
  private readonly follower: FollowerHandler;
  private readonly snapshotter: Snapshotter;
  private readonly futures: ApplyFutures;
  private replicator: Replicator | undefined;

  private electionTimerCancel: (() => void) | undefined;
  private periodicCancel: (() => void) | undefined;
  private readonly leadershipListeners = new Set<(isLeader: boolean) => void>();
  private addressBook: ReadonlyMap<ServerId, string> = new Map();
  private applyWaiters: { index: number; resolve: () => void }[] = [];
  /** A follower's apply is queued (advanceCommit). */
  private applyQueued = false;

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
    this.logStore = isRaftLogStore(o.stores.log) ? o.stores.log : new KvLogStore(o.stores.log, onError);
    this.stableStore = new StableStore(o.stores.stable, onError);
    this.election = new Election(this);
    this.follower = new FollowerHandler(this);
    this.snapshotter = new Snapshotter(this);
    this.futures = new ApplyFutures(this.clock);
  }

  /** Open the stores and rebuild state: snapshot into the FSM, then the log. */
  static async open(o: RaftNodeOptions): Promise<RaftNode> {
    const node = new RaftNode(o);
    await node.load(o);
    return node;
  }

  private async load(o: RaftNodeOptions): Promise<void> {
    const st = this.state;
    const snaps = o.stores.snapshots;
    this.snapshots = isRaftSnapshotStore(snaps) ? snaps : await KvSnapshotStore.open(snaps, o.config.snapshotChunkBytes);
    const stable = await this.stableStore.load();
    const meta = this.snapshots.latest();
    if (meta) {
      await this.fsm.restore(this.snapshots.read(meta));
      st.commitIndex = st.lastApplied = meta.index;
      st.appliedConfig = meta.config;
    }
    // What compaction keeps behind the snapshot (trailing logs); anything older is not needed.
    const entries = await this.logStore.loadAll(meta ? Math.max(1, meta.index - o.config.trailingLogs + 1) : 1);
    // Compaction always keeps the log connected to the newest snapshot; a gap means that
    // snapshot is gone (damaged files, an older one used instead) and the entries after the
    // one we have with it. Starting would silently forget acknowledged writes.
    if (entries.length > 0 && entries[0]!.index > (meta?.index ?? 0) + 1) throw RaftLogGap(entries[0]!.index, meta?.index ?? 0);
    st.log = RaftLog.restore(meta && { index: meta.index, term: meta.term, config: meta.config }, entries);
    st.durableIndex = st.log.lastIndex();
    st.term = Math.max(stable.term, st.log.lastTerm());
    st.votedFor = stable.term === st.term ? stable.votedFor : undefined;
    st.bootstrapFlag = stable.bootstrapped;
    this.refreshConfig();
  }

  // ---- state, read-only outside this class -----------------------------------------

  get role(): Role {
    return this.state.role;
  }
  get term(): number {
    return this.state.term;
  }
  get votedFor(): ServerId | undefined {
    return this.state.votedFor;
  }
  get leaderId(): ServerId | undefined {
    return this.state.leaderId;
  }
  /** When we last heard from a leader of our term (stickiness, follower timer). */
  get lastLeaderContact(): number {
    return this.state.lastLeaderContact;
  }
  get log(): LogView {
    return this.state.log;
  }
  get commitIndex(): number {
    return this.state.commitIndex;
  }
  get lastApplied(): number {
    return this.state.lastApplied;
  }
  /** Latest configuration in the log (in force as soon as appended). */
  get config(): ConfigurationData {
    return this.state.config;
  }
  get configIndex(): number {
    return this.state.configIndex;
  }
  /** Configuration as of lastApplied (what a snapshot at lastApplied records). */
  get appliedConfig(): ConfigurationData {
    return this.state.appliedConfig;
  }
  /** Highest log index known durable on this server (the leader's own match index). */
  get durableIndex(): number {
    return this.state.durableIndex;
  }
  /** An FSM restore is running: applies and log changes wait. */
  get restoring(): boolean {
    return this.state.restoring;
  }
  /** This server took part in a bootstrap_expect bootstrap (persisted; never bootstrap twice). */
  get bootstrapFlag(): boolean {
    return this.state.bootstrapFlag;
  }
  get stopped(): boolean {
    return this.state.stopped;
  }
  /** The storage or FSM failure that stopped this server, if any. */
  get fatalError(): unknown {
    return this.state.fatalError;
  }
  get snapshotStore(): RaftSnapshotStore {
    return this.snapshots;
  }

  /** Begin participating: receive messages and run timers. */
  start(): void {
    this.transport.setReceiver((m) => this.receive(m));
    // Treat startup like hearing from a leader: a restarted server must not hand out a
    // vote that could cut short a lease it acknowledged just before crashing.
    this.state.lastLeaderContact = this.clock.now();
    const voters = voterIds(this.config);
    if (voters.length === 1 && voters[0] === this.id) this.armElectionTimer(0);
    else this.armElectionTimer();
    this.schedulePeriodic();
  }

  stop(): void {
    if (this.stopped) return;
    this.state.stopped = true;
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
    this.state.term = 1;
    this.state.votedFor = undefined;
    this.appendToLog([entry]);
    await Promise.all([this.stableStore.setTermVote(1, undefined), this.logStore.flushed()]);
    const voters = voterIds(config);
    if (!this.stopped && voters.length === 1 && voters[0] === this.id) this.armElectionTimer(0);
  }

  /**
   * Remember, durably, that this server is about to bootstrap for bootstrap_expect, so a
   * restart never bootstraps a second time. Resolves once persisted.
   */
  async markBootstrapped(): Promise<void> {
    this.state.bootstrapFlag = true;
    await this.stableStore.markBootstrapped();
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

  private setTerm(term: number, votedFor: ServerId | undefined): void {
    this.state.term = term;
    this.state.votedFor = votedFor;
    void this.stableStore.setTermVote(term, votedFor).catch(() => {});
  }

  private becomeFollower(term: number, leaderId: ServerId | undefined): void {
    const wasLeader = this.role === 'leader';
    if (term > this.term) this.setTerm(term, undefined);
    if (this.state.role !== 'follower') this.observer.onRole?.('follower');
    this.state.role = 'follower';
    this.state.leaderId = leaderId;
    if (wasLeader) {
      this.replicator?.stop(LeadershipLost());
      this.replicator = undefined;
      this.futures.failAll(LeadershipLost());
      this.notifyLeadership(false);
    }
    this.armElectionTimer();
  }

  observeReplication(peer: ServerId, rttMs: number, heartbeat: boolean): void {
    this.observer.onReplication?.(peer, rttMs, heartbeat);
  }

  /** Leave leadership (or candidacy) without a known leader, in the current term. */
  stepDown(): void {
    this.becomeFollower(this.term, undefined);
  }

  becomePrecandidate(): void {
    this.state.role = 'precandidate';
    this.observer.onRole?.('precandidate');
    this.state.leaderId = undefined;
    this.armElectionTimer();
  }

  becomeCandidate(): void {
    this.state.role = 'candidate';
    this.observer.onRole?.('candidate');
    this.state.leaderId = undefined;
    this.setTerm(this.term + 1, this.id);
    this.armElectionTimer();
  }

  grantVote(candidate: ServerId): void {
    if (this.votedFor !== candidate) this.setTerm(this.term, candidate);
    this.armElectionTimer();
  }

  /** A message from a leader of `term`: false when stale; otherwise follow it and note the contact. */
  acceptLeader(from: ServerId, term: number): boolean {
    if (term < this.term) return false;
    if (this.role !== 'follower') this.becomeFollower(term, from);
    this.state.leaderId = from;
    this.state.lastLeaderContact = this.clock.now();
    return true;
  }

  becomeLeader(): void {
    this.state.role = 'leader';
    this.observer.onRole?.('leader');
    this.state.leaderId = this.id;
    this.electionTimerCancel?.();
    this.replicator = new Replicator(this);
    this.logger.info('entering leader state', { term: this.term });
    this.observer.onLeader?.(this);
    // A no-op of the new term lets the leader commit (and learn the commit index) at once.
    this.appendLocal('noop');
    this.notifyLeadership(true);
  }

  /** (Re)arm the randomised election timer: heartbeat timeout for followers, election timeout otherwise. */
  private armElectionTimer(fixedMs?: number): void {
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
      this.state.log.truncateFrom(truncateFrom);
      this.logGeneration++;
      this.state.durableIndex = Math.min(this.durableIndex, truncateFrom - 1);
    }
    this.state.log.append(entries);
    const gen = this.logGeneration;
    const last = this.log.lastIndex();
    const write = this.logStore.append(entries, deleteTo !== undefined ? truncateFrom : undefined);
    write.then(
      () => {
        if (gen === this.logGeneration && last > this.durableIndex) {
          this.state.durableIndex = last;
          this.replicator?.onLocalDurable();
        }
      },
      (err: unknown) => this.fatal(err),
    );
    if (truncateFrom !== undefined || entries.some((e) => e.kind === 'conf')) this.refreshConfig();
  }

  /** Leader: append a new entry of the current term; replication is kicked once per tick. */
  private appendLocal(kind: EntryKind, data?: Uint8Array, config?: ConfigurationData): LogEntry {
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

  /** Follower: restore the FSM from a received snapshot, then make it the base of the log. */
  async installSnapshot(meta: SnapshotMeta): Promise<void> {
    if (this.stopped || meta.index <= this.lastApplied) return;
    this.state.restoring = true;
    try {
      await this.fsm.restore(this.snapshots.read(meta));
    } catch (err) {
      // The FSM may be half-replaced: continuing would serve wrong data.
      this.fatal(err);
      return;
    } finally {
      this.state.restoring = false;
    }
    if (this.stopped) return;
    this.logger.info('installed snapshot', { index: meta.index, term: meta.term });
    this.installSnapshotState(meta.index, meta.term, meta.config);
    this.applyCommitted();
  }

  /**
   * A snapshot replaced the state. Keep the log suffix when it continues the snapshot,
   * otherwise drop the whole log (memory and disk).
   */
  private installSnapshotState(index: number, term: number, config: ConfigurationData): void {
    const oldFirst = this.log.firstIndex();
    const oldLast = this.log.lastIndex();
    if (this.state.log.setSnapshot(index, term, config)) {
      this.logGeneration++;
      this.state.durableIndex = index;
      if (oldLast >= oldFirst) this.logStore.dropPrefix(oldLast).catch((err: unknown) => this.fatal(err));
    }
    this.state.commitIndex = Math.max(this.commitIndex, index);
    this.state.lastApplied = index;
    this.state.appliedConfig = config;
    this.refreshConfig();
  }

  /** Drop log entries no longer needed behind a snapshot at `index`, keeping trailingLogs (and at most trailingLogBytes). */
  compactLog(index: number, term: number, config: ConfigurationData): void {
    this.state.log.setSnapshot(index, term, config);
    const at = Math.min(index, this.log.snapshotIndex);
    const upto = this.state.log.trailingStart(at, this.cfg.trailingLogs, this.cfg.trailingLogBytes) - 1;
    if (upto < this.log.firstIndex()) return;
    this.state.log.compactTo(upto);
    this.logStore.dropPrefix(upto).catch((err: unknown) => this.fatal(err));
  }

  private refreshConfig(): void {
    const { config, index } = this.log.latestConfig();
    this.state.config = config;
    this.state.configIndex = index;
    this.replicator?.syncPeers();
  }

  /**
   * Raise the commit index (callers ensure the Raft commit rules) and apply. A leader applies
   * at once: its clients wait for that. A follower applies in a microtask instead, because
   * it learns a commit from the same AppendEntries that brings new entries, and the write of
   * those (started by the group commit's own microtask, queued first) is what the leader's
   * next commit waits for: applying a batch first would hold that fsync back by the apply.
   * Entries up to the commit index never change, so applying them a microtask later is safe.
   */
  advanceCommit(index: number): void {
    if (index <= this.commitIndex) return;
    this.state.commitIndex = Math.min(index, this.log.lastIndex());
    if (this.role === 'leader') return this.applyCommitted();
    if (this.applyQueued) return;
    this.applyQueued = true;
    queueMicrotask(() => {
      this.applyQueued = false;
      this.applyCommitted();
    });
  }

  private applyCommitted(): void {
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
        this.state.appliedConfig = entry.config;
      }
      this.state.lastApplied = index;
      this.observer.onApply?.(this, entry);
      this.futures.resolve(entry, response);
      if (entry.kind === 'conf') this.replicator?.onConfigCommitted();
      if (this.stopped) return;
    }
    this.snapshotter.maybeSnapshotForSize();
    if (this.applyWaiters.length) {
      const ready = this.applyWaiters.filter((w) => w.index <= this.lastApplied);
      this.applyWaiters = this.applyWaiters.filter((w) => w.index > this.lastApplied);
      for (const w of ready) w.resolve();
    }
    this.replicator?.onApplied();
  }

  /** Resolves when lastApplied >= index (or the node stops). */
  private waitApplied(index: number): Promise<void> {
    if (this.lastApplied >= index || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.applyWaiters.push({ index, resolve }));
  }

  // ---- client API used by RaftConsensus -----------------------------------------------

  apply(command: Uint8Array, timeoutMs?: number): Promise<{ index: number; response: unknown }> {
    const check = this.checkLeader();
    if (check) return Promise.reject(check);
    if (this.replicator!.transferring()) return Promise.reject(LeadershipTransferInProgress());
    if (this.state.userRestoring) return Promise.reject(RestoreInProgress());
    const entry = this.appendLocal('cmd', command);
    return this.futures.add(entry, timeoutMs);
  }

  /** ReadIndex: resolves with the index applied locally once leadership is confirmed by a quorum. */
  readBarrier(timeoutMs?: number): Promise<number> {
    const check = this.checkLeader();
    if (check) return Promise.reject(check);
    return this.replicator!.reads.add(timeoutMs);
  }

  /**
   * Whether a read may be answered from this leader's applied state without a quorum round.
   * Besides the lease itself, the term's first entry must be applied: until then a new leader
   * holds, but has not applied, entries the previous leader already acknowledged.
   */
  hasLease(): boolean {
    return (
      this.role === 'leader' &&
      this.replicator !== undefined &&
      this.lastApplied >= this.replicator.termStartIndex &&
      this.replicator.hasLease()
    );
  }

  transferLeadership(targetId?: ServerId): Promise<void> {
    const check = this.checkLeader();
    if (check) return Promise.reject(check);
    if (this.state.userRestoring) return Promise.reject(RestoreInProgress());
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
    if (this.state.userRestoring) throw RestoreInProgress();
    const entry = this.appendLocal('conf', undefined, mutate(this.config));
    await this.futures.add(entry, timeoutMs);
  }

  /**
   * Replace the state with a user's snapshot (hashicorp/raft's restoreUserSnapshot). New
   * proposals are refused while it runs; once the log is applied, `install(index)` swaps the
   * new state into the FSM at an index past the log and `minIndex`, leaving a hole in the log
   * there. The FSM is then snapshotted at that index with the current configuration (the
   * image's membership never replaces ours) and made the log's base: every follower's next
   * append falls into the hole, so the replicator sends it that snapshot. A no-op appended
   * after the hole commits only once a quorum installed it, and that is when this resolves.
   * If leadership is lost (or storage fails) before the snapshot is published, the FSM is
   * put back with the undo `install` returned and this rejects with
   * RAFT_RESTORE_INTERRUPTED: nothing changed anywhere, and the server carries on.
   */
  async restoreUserState(minIndex: number, install: (index: number) => () => void, timeoutMs?: number): Promise<number> {
    let check = this.checkLeader();
    if (check) throw check;
    if (this.state.userRestoring) throw RestoreInProgress();
    if (this.replicator!.transferring()) throw LeadershipTransferInProgress();
    const term = this.term;
    this.state.userRestoring = true;
    let index: number;
    try {
      await this.waitAppliedWhileLeader(this.log.lastIndex());
      check = this.checkLeader();
      if (check || this.term !== term) throw check ?? LeadershipLost();
      if (this.configIndex > this.commitIndex) throw ConfigChangeInProgress();
      index = Math.max(this.log.lastIndex(), minIndex) + 1;
      const config = this.config;
      this.state.restoring = true;
      let undo: (() => void) | undefined;
      try {
        undo = install(index);
        await this.writeRestoredSnapshot(index, term, config);
      } catch (err) {
        // Nothing of the restore reached the log or the snapshot store: put the FSM back
        // and carry on (as a follower, if that is what we became), applying what committed meanwhile.
        undo?.();
        throw err;
      } finally {
        this.state.restoring = false;
        if (!this.stopped) this.applyCommitted();
      }
      this.installSnapshotState(index, term, config);
      this.logger.info('restored user snapshot', { index, term });
    } finally {
      this.state.userRestoring = false;
    }
    await this.futures.add(this.appendLocal('noop'), timeoutMs);
    return index;
  }

  /** Like waitApplied, but also returns when leadership is lost (uncommitted entries may never apply then). */
  private waitAppliedWhileLeader(index: number): Promise<void> {
    return new Promise((resolve) => {
      const off = this.onLeadershipChange((leader) => {
        if (leader) return;
        off();
        resolve();
      });
      void this.waitApplied(index).then(() => {
        off();
        resolve();
      });
    });
  }

  /** Snapshot the just-restored FSM at `index` and publish it, unless leadership was lost meanwhile. */
  private async writeRestoredSnapshot(index: number, term: number, config: ConfigurationData): Promise<void> {
    const snap = this.fsm.snapshot();
    const sink = this.snapshots.create(index, term, config);
    try {
      for await (const chunk of snap.chunks()) await sink.write(chunk);
    } catch (err) {
      await sink.abort().catch(() => {});
      throw RestoreInterrupted(`writing the snapshot failed: ${(err as Error).message}`);
    } finally {
      snap.release();
    }
    if (this.stopped || this.role !== 'leader' || this.term !== term) {
      await sink.abort().catch(() => {});
      throw RestoreInterrupted('leadership lost');
    }
    if (!(await sink.commit())) throw RestoreInterrupted('a newer snapshot was published meanwhile');
  }

  /** Error to reject a leader-only call with, or undefined when this server leads. */
  private checkLeader(): Error | undefined {
    if (this.stopped) return RaftShutdown();
    if (this.role !== 'leader' || !this.replicator) {
      const leader = this.leaderId ? findServer(this.config, this.leaderId) : undefined;
      return NotLeader(leader?.address);
    }
    return undefined;
  }

  fatal(err: unknown): void {
    if (this.fatalError !== undefined) return;
    this.state.fatalError = err;
    this.logger.error('raft stopping after a storage failure', { error: err });
    this.stop();
  }

  private schedulePeriodic(): void {
    // A random delay in [interval, 2 × interval), as hashicorp/raft's randomTimeout: servers
    // started together otherwise snapshot at the same moment, and a snapshot taken under
    // write load stalls its server (copy-on-write of the state behind the frozen view).
    // With all of them at once no quorum answers; one at a time the others commit.
    const interval = this.cfg.snapshotIntervalMs;
    this.periodicCancel = this.clock.setTimer(interval + Math.floor(this.random() * interval), () => {
      if (this.stopped) return;
      this.snapshotter.maybeSnapshot();
      this.schedulePeriodic();
    });
  }
}
