import { inject, injectable, optional } from 'inversify';
import {
  Fsm,
  MetricsRegistry,
  NO_METRICS,
  RaftStreamPort,
  StorageEngine,
  type ApplyResult,
  type Consensus,
  type KeyValueStore,
  type LeadershipListener,
  type RaftServer,
  type ServerAddress,
} from '@proconsul/kernel';
import { RaftNode } from '../core/raft-node.js';
import { RealClock } from '../core/clock.js';
import { findServer, withoutServer, withServer } from '../core/configuration.js';
import type { ConfigurationData } from '../core/messages.js';
import { TcpRaftTransport } from '../net/tcp-raft-transport.js';
import { RaftEnvironment } from './raft-environment.js';
import { openRaftLog } from './raft-log-opener.js';
import { openRaftSnapshots } from './raft-snapshot-opener.js';
import { isRaftLogStore, type RaftLogStore } from '../storage/raft-log-store.js';
import { RaftMetrics } from './raft-metrics.js';
import { RaftShutdown, UnknownServer } from '../errors.js';

const STATE_NAMES = { leader: 'Leader', follower: 'Follower', candidate: 'Candidate', precandidate: 'Candidate' } as const;

const RESTORE_CONFIRM_TIMEOUT_MS = 300_000;
/**
 * Kernel Consensus backed by a RaftNode over the server port (RaftStreamPort). Created on servers only.
 * `start()` (called by the plugin's Lifecycle) opens the raft stores, restores the FSM
 * and joins the cluster; `bootstrapWith()` is what the agent calls for bootstrap_expect.
 */
@injectable()
export class RaftConsensus implements Consensus {
  private node: RaftNode | undefined;
  private stores: KeyValueStore[] = [];
  private logStore: RaftLogStore | undefined;
  private readonly listeners = new Set<LeadershipListener>();
  private readonly clock = new RealClock();

  constructor(
    @inject(Fsm) private readonly fsm: Fsm,
    @inject(StorageEngine) private readonly engine: StorageEngine,
    @inject(RaftEnvironment) private readonly env: RaftEnvironment,
    @inject(RaftStreamPort) private readonly streams: RaftStreamPort,
    @inject(MetricsRegistry) @optional() registry: MetricsRegistry = NO_METRICS,
  ) {
    this.metrics = new RaftMetrics(registry);
  }
  private readonly metrics: RaftMetrics;

  /** This server as raft knows it: id = node ID, address = advertise address + server port. */
  self(): ServerAddress {
    const rc = this.env.runtime;
    const host = rc.advertiseAddr || rc.bindAddr;
    return {
      id: rc.nodeId || rc.nodeName,
      node: rc.nodeName,
      address: `${host.includes(':') ? `[${host}]` : host}:${rc.ports.server}`,
    };
  }

  async start(): Promise<void> {
    const stable = await this.engine.open('raft-stable');
    this.stores = [stable];
    const keep = (kv: KeyValueStore) => this.stores.push(kv);
    const snapshots = await openRaftSnapshots(
      this.engine,
      this.env.runtime,
      this.env.logger,
      this.env.raft.snapshotChunkBytes,
      keep,
    );
    const log = await openRaftLog(this.engine, this.env.runtime, this.env.logger, keep);
    if (isRaftLogStore(log)) this.logStore = log;
    const node = await RaftNode.open({
      id: this.self().id,
      config: this.env.raft,
      clock: this.clock,
      random: Math.random,
      transport: new TcpRaftTransport(this.streams, this.clock, 100, 8 * 1024 * 1024, this.env.logger),
      fsm: this.fsm,
      stores: { log, stable, snapshots },
      logger: this.env.logger,
      observer: this.metrics.observer(),
    });
    this.node = node;
    this.metrics.start(() => {
      const n = this.node;
      if (!n) return undefined;
      const lastContactMs = () => this.lastContactMs();
      return {
        role: n.role,
        lastContactMs,
        appliedIndex: n.lastApplied,
        lastIndex: n.log.lastIndex(),
        commitIndex: n.commitIndex,
      };
    });
    for (const l of this.listeners) node.onLeadershipChange(l);
    const rc = this.env.runtime;
    // -dev means a lone server unless the config expects peers: a dev server told
    // bootstrap_expect = N waits for them, or N test servers would form N clusters.
    if ((rc.bootstrap || (rc.dev && !(rc.bootstrapExpect > 0))) && !node.hasState()) {
      this.env.logger.info('bootstrapping a single-server cluster');
      await node.bootstrap({ servers: [{ ...this.self(), suffrage: 'voter' }] });
    }
    node.start();
  }

  async stop(): Promise<void> {
    const node = this.node;
    this.node = undefined;
    this.metrics.stop();
    if (node) {
      node.stop();
      await node.transport.close();
      await node.durable().catch(() => {});
    }
    await this.logStore?.close().catch(() => {});
    this.logStore = undefined;
    for (const s of this.stores) await s.close().catch(() => {});
    this.stores = [];
  }

  /** Addresses of known servers (gossip), so raft can answer servers not yet in its configuration. */
  learnAddresses(servers: readonly ServerAddress[]): void {
    this.node?.learnAddresses(new Map(servers.map((s) => [s.id, s.address])));
  }

  /**
   * bootstrap_expect: the agent calls this whenever its list of known servers (from LAN
   * gossip, or -retry-join addresses resolved to servers) changes. Bootstraps exactly
   * once, when at least bootstrapExpect servers (this one included) are known and raft
   * has no state; the fact is remembered in the stable store so it never happens twice,
   * even after a restart. Resolves true when it bootstrapped now.
   */
  async bootstrapWith(servers: readonly ServerAddress[]): Promise<boolean> {
    const node = this.requireNode();
    const expect = this.env.runtime.bootstrapExpect;
    if (expect <= 0 || node.bootstrapFlag || node.hasState()) return false;
    const byId = new Map<string, ServerAddress>();
    const me = this.self();
    byId.set(me.id, me);
    for (const s of servers) if (!byId.has(s.id)) byId.set(s.id, s);
    if (byId.size < expect) return false;
    const config: ConfigurationData = {
      servers: [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map((s) => ({ ...s, suffrage: 'voter' as const })),
    };
    await node.markBootstrapped();
    await node.bootstrap(config);
    this.env.logger.info('bootstrapped cluster', { servers: config.servers.length });
    return true;
  }

  apply(command: Uint8Array, timeoutMs?: number): Promise<ApplyResult> {
    const node = this.requireNode();
    return this.metrics.timeApply(() => node.apply(command, timeoutMs));
  }
  /** Followers may need a while to install a large snapshot before the confirming no-op commits. */
  restoreState(minIndex: number, install: (index: number) => () => void): Promise<number> {
    return this.requireNode().restoreUserState(minIndex, install, RESTORE_CONFIRM_TIMEOUT_MS);
  }
  readBarrier(timeoutMs?: number): Promise<number> {
    return this.requireNode().readBarrier(timeoutMs);
  }
  isLeader(): boolean {
    return this.node?.role === 'leader';
  }
  hasLease(): boolean {
    return this.node?.hasLease() ?? false;
  }
  leader(): ServerAddress | undefined {
    const n = this.node;
    const s = n?.leaderId ? findServer(n.config, n.leaderId) : undefined;
    return s ? { id: s.id, node: s.node, address: s.address } : undefined;
  }
  lastContactMs(): number {
    const n = this.node;
    if (!n) return Infinity;
    if (n.role === 'leader') return 0;
    return Math.max(0, this.clock.now() - n.lastLeaderContact);
  }
  configuration(): readonly RaftServer[] {
    return this.node?.config.servers ?? [];
  }
  appliedIndex(): number {
    return this.node?.lastApplied ?? 0;
  }
  async addServer(server: ServerAddress, suffrage: 'voter' | 'nonvoter'): Promise<void> {
    await this.requireNode().changeConfig((c) => withServer(c, server, suffrage));
  }
  async removeServer(id: string): Promise<void> {
    const node = this.requireNode();
    if (!findServer(node.config, id)) throw UnknownServer(id);
    await node.changeConfig((c) => withoutServer(c, id));
  }
  transferLeadership(targetId?: string): Promise<void> {
    return this.requireNode().transferLeadership(targetId);
  }
  onLeadershipChange(listener: LeadershipListener): () => void {
    this.listeners.add(listener);
    const off = this.node?.onLeadershipChange(listener);
    return () => {
      this.listeners.delete(listener);
      off?.();
    };
  }

  stats(): Record<string, string> {
    const n = this.node;
    if (!n) return { state: 'Shutdown' };
    const contact = this.lastContactMs();
    return {
      state: STATE_NAMES[n.role],
      term: String(n.term),
      last_log_index: String(n.log.lastIndex()),
      last_log_term: String(n.log.lastTerm()),
      commit_index: String(n.commitIndex),
      applied_index: String(n.lastApplied),
      fsm_pending: String(n.commitIndex - n.lastApplied),
      last_snapshot_index: String(n.log.snapshotIndex),
      last_snapshot_term: String(n.log.snapshotTerm),
      latest_configuration_index: String(n.configIndex),
      latest_configuration: JSON.stringify(n.config.servers),
      num_peers: String(n.config.servers.filter((s) => s.suffrage === 'voter' && s.id !== n.id).length),
      last_contact: n.role === 'leader' ? '0' : Number.isFinite(contact) ? `${Math.round(contact)}ms` : 'never',
      protocol_version: '3',
      protocol_version_min: '0',
      protocol_version_max: '3',
    };
  }

  private requireNode(): RaftNode {
    if (!this.node) throw RaftShutdown();
    return this.node;
  }
}
