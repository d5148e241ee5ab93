import { WalLogStore } from '../storage/wal/wal-log-store.js';
import { FileSnapshotStore } from '../storage/file-snapshot-store.js';
import { NullLogger, type Logger } from '@proconsul/kernel';
import { RaftNode } from '../core/raft-node.js';
import { DefaultConfig, validateConfig, type RaftConfig } from '../core/raft-config.js';
import type { ConfigurationData, ServerId } from '../core/messages.js';
import type { RaftTransport } from '../core/transport.js';
import { InvariantChecker } from './invariants.js';
import { DurabilityChecker } from './durability-checker.js';
import { Prng } from './prng.js';
import { SimDisk } from './sim-store.js';
import { SimFsm } from './sim-fsm.js';
import { CALM_NETWORK, SimNetwork, type NetworkFaults } from './sim-network.js';
import { VirtualScheduler } from './virtual-scheduler.js';

/** Timings scaled down ~7x from multiplier 1 so simulations cover many elections quickly; thresholds small to force snapshots. */
export const SIM_RAFT_CONFIG: RaftConfig = validateConfig({
  ...DefaultConfig(),
  heartbeatTimeoutMs: 150,
  electionTimeoutMs: 150,
  leaderLeaseTimeoutMs: 75,
  heartbeatIntervalMs: 20,
  maxAppendEntries: 16,
  maxInflight: 8,
  snapshotThreshold: 64,
  trailingLogs: 16,
  // Sim commands are ~10-40 B: these budgets bind before the counts in busy runs, so the
  // size bounds are exercised under every fault the simulations inject.
  snapshotLogBytes: 1200,
  trailingLogBytes: 240,
  snapshotIntervalMs: 200,
  snapshotChunkBytes: 200,
});

export interface SimClusterOptions {
  readonly seed: number;
  /** Server ids; all are voters in the bootstrap configuration unless `voters` says otherwise. */
  readonly servers: readonly ServerId[];
  readonly voters?: readonly ServerId[];
  /** Servers to boot without bootstrapping (joined later with addServer). */
  readonly spare?: readonly ServerId[];
  readonly raft?: Partial<RaftConfig>;
  readonly faults?: NetworkFaults;
  readonly fsyncMs?: readonly [number, number];
  readonly logger?: Logger;
  /** The raft log backend: the storage engine's store ("boltdb", default) or segment files ("wal", tiny segments so runs rotate). */
  readonly logBackend?: 'boltdb' | 'wal';
  /** Where raft snapshots go: the storage engine's store ("kv", default) or snapshot files ("files", FileSnapshotStore). */
  readonly snapshotStore?: 'kv' | 'files';
}

/**
 * A whole raft cluster in one process and virtual time. Every source of nondeterminism
 * (network, disk latency, election jitter) draws from one seeded PRNG, so a seed
 * replays exactly. Invariants are checked after every event.
 */
export class SimCluster {
  readonly sched = new VirtualScheduler();
  readonly rng: Prng;
  readonly net: SimNetwork;
  readonly check = new InvariantChecker();
  private readonly durability = new DurabilityChecker();
  readonly disks = new Map<ServerId, SimDisk>();
  readonly fsms = new Map<ServerId, SimFsm>();
  readonly nodes = new Map<ServerId, RaftNode>();
  readonly all: ServerId[];
  readonly config: RaftConfig;
  private readonly epochs = new Map<ServerId, number>();
  private readonly booting = new Set<ServerId>();
  private readonly logger: Logger;
  private eventsSinceLogCheck = 0;

  private constructor(readonly options: SimClusterOptions) {
    this.rng = new Prng(options.seed);
    this.net = new SimNetwork(this.sched, this.rng.fork(), options.faults ?? CALM_NETWORK);
    this.config = validateConfig({ ...SIM_RAFT_CONFIG, ...options.raft });
    this.all = [...options.servers, ...(options.spare ?? [])];
    this.logger = options.logger ?? new NullLogger();
    for (const id of this.all) this.disks.set(id, new SimDisk(this.sched, this.rng.fork(), options.fsyncMs ?? [1, 4]));
  }

  static async create(options: SimClusterOptions): Promise<SimCluster> {
    const c = new SimCluster(options);
    const voters = new Set(options.voters ?? options.servers);
    const config: ConfigurationData = {
      servers: options.servers.map((id) => ({ id, node: id, address: id, suffrage: voters.has(id) ? 'voter' : 'nonvoter' })),
    };
    const booted = c.all.map((id) => c.boot(id, options.servers.includes(id) ? config : undefined));
    await c.settle(Promise.all(booted));
    return c;
  }

  /** Drive virtual time until `p` settles (for async work that needs simulated I/O). */
  async settle<T>(p: Promise<T>, maxMs = 60_000): Promise<T> {
    let done = false;
    let value: T | undefined;
    let error: unknown;
    let failed = false;
    p.then(
      (v) => ((done = true), (value = v)),
      (e: unknown) => ((done = failed = true), (error = e)),
    );
    const limit = this.sched.now() + maxMs;
    await new Promise<void>((r) => setImmediate(r));
    while (!done && this.sched.now() <= limit && (await this.sched.step(limit))) this.afterEvent();
    if (!done) throw new Error(`settle: not done within ${maxMs}ms of virtual time`);
    if (failed) throw error;
    return value as T;
  }

  private async boot(id: ServerId, bootstrap?: ConfigurationData): Promise<RaftNode> {
    const epoch = (this.epochs.get(id) ?? 0) + 1;
    this.epochs.set(id, epoch);
    const engine = this.disks.get(id)!.engine();
    const fsm = new SimFsm();
    const jitter = this.rng.fork();
    const node = await RaftNode.open({
      id,
      config: this.config,
      clock: this.sched.clock(() => this.epochs.get(id) === epoch),
      random: () => jitter.next(),
      transport: this.observed(id),
      fsm,
      stores: {
        log:
          this.options.logBackend === 'wal'
            ? await WalLogStore.open(this.disks.get(id)!.walFiles().view(), { segmentBytes: 2048 })
            : await engine.open('raft-log'),
        stable: await engine.open('raft-stable'),
        snapshots:
          this.options.snapshotStore === 'files'
            ? await FileSnapshotStore.open(this.disks.get(id)!.snapshotFiles().view(), {
                chunkBytes: this.config.snapshotChunkBytes,
              })
            : await engine.open('raft-snapshots'),
      },
      logger: this.logger.named(id),
      observer: { onLeader: (n) => this.check.onLeader(n), onApply: (n, e) => this.check.onApply(n, e) },
    });
    if (this.epochs.get(id) !== epoch) return node;
    const lost = this.durability.onRestart(id, node.log, this.disks.get(id)!.wipes);
    if (lost) this.check.violations.push(lost);
    if (bootstrap && !node.hasState()) await node.bootstrap(bootstrap);
    this.fsms.set(id, fsm);
    this.nodes.set(id, node);
    node.start();
    return node;
  }

  crash(id: ServerId): void {
    const node = this.nodes.get(id);
    if (node) this.durability.onCrash(id, node.log, this.disks.get(id)!.wipes);
    this.booting.delete(id);
    this.epochs.set(id, (this.epochs.get(id) ?? 0) + 1);
    this.nodes.get(id)?.stop();
    this.nodes.delete(id);
    this.net.detach(id);
    this.disks.get(id)!.crash();
  }

  /** The server's network endpoint, with what it sends shown to the durability check. */
  private observed(id: ServerId): RaftTransport {
    const inner = this.net.endpoint(id);
    return {
      ...inner,
      send: (to, msg) => {
        const n = this.nodes.get(id);
        if (n) this.durability.onSend(id, msg, n);
        inner.send(to, msg);
      },
    };
  }

  /** Restart a crashed server from its disk; it joins once its state is loaded. */
  restart(id: ServerId): void {
    if (this.nodes.has(id) || this.booting.has(id)) return;
    this.booting.add(id);
    void this.boot(id)
      .catch((err: unknown) => this.check.violations.push(`restart ${id} failed: ${String(err)}`))
      .finally(() => this.booting.delete(id));
  }

  partition(...groups: ServerId[][]): void {
    this.net.partition(groups, this.all);
  }

  heal(): void {
    this.net.heal();
  }

  live(): RaftNode[] {
    return [...this.nodes.values()];
  }

  /** The live leader with the highest term, if any. */
  leader(): RaftNode | undefined {
    let best: RaftNode | undefined;
    for (const n of this.nodes.values()) if (n.role === 'leader' && (!best || n.term > best.term)) best = n;
    return best;
  }

  async run(ms: number): Promise<void> {
    await this.sched.runUntil(this.sched.now() + ms, () => this.afterEvent());
  }

  /** Run until `pred` holds (checked after each event) or `maxMs` passes; returns whether it held. */
  async runUntil(pred: () => boolean, maxMs: number): Promise<boolean> {
    const limit = this.sched.now() + maxMs;
    if (pred()) return true;
    while (await this.sched.step(limit)) {
      this.afterEvent();
      if (pred()) return true;
    }
    return pred();
  }

  async waitLeader(maxMs = 10_000): Promise<RaftNode> {
    const ok = await this.runUntil(() => this.leader() !== undefined, maxMs);
    if (!ok) throw new Error(`no leader within ${maxMs}ms (seed ${this.options.seed})`);
    return this.leader()!;
  }

  /** Propose through the current leader; the promise settles in virtual time (drive with run). */
  propose(k: string, v: string, timeoutMs = 2000): Promise<{ index: number; response: unknown }> {
    const l = this.leader();
    if (!l) return Promise.reject(new Error('no leader'));
    return l.apply(SimFsm.command(k, v), timeoutMs);
  }

  private afterEvent(): void {
    if (++this.eventsSinceLogCheck >= 50) {
      this.eventsSinceLogCheck = 0;
      this.check.checkLogs(this.live());
    }
  }

  /** Final checks: log matching now, and every live server's FSM equal to the leader's. */
  converged(): boolean {
    this.check.checkLogs(this.live());
    const nodes = this.live();
    const maxApplied = Math.max(...nodes.map((n) => n.lastApplied));
    if (nodes.some((n) => n.lastApplied !== maxApplied)) return false;
    const ref = JSON.stringify([...this.fsms.get(nodes[0]!.id)!.state].sort());
    return nodes.every((n) => JSON.stringify([...this.fsms.get(n.id)!.state].sort()) === ref);
  }
}
