import {
  isCoded,
  type Command,
  type HealthCheck,
  type Logger,
  type Node,
  type NodeService,
  type QueryName,
  type QueryOptions,
  type QueryReply,
  type RpcCaller,
  type RuntimeConfig,
  type WriteReply,
} from '@proconsul/kernel';
import type { AgentMetrics } from './agent-metrics.js';
import type { LocalState } from './local-state.js';
import { checkInput, consulService, nodeIdentity, reconcile, registration, serviceInput } from './sync-plan.js';
import { fullSyncDelay } from './sync-interval.js';

/** What anti-entropy needs of ClusterRpc (reads and writes routed to the servers). */
export interface SyncRpc {
  read<T>(query: QueryName, args: unknown, opts: QueryOptions, caller: RpcCaller): Promise<QueryReply<T>>;
  write(command: Command, caller: RpcCaller): Promise<WriteReply>;
}

export interface AntiEntropyOptions {
  /** Full-sync interval before scaling and stagger; Consul's is one minute. */
  readonly intervalMs?: number;
  /**
   * Quiet time after a change before pushing. Default 0: the round starts on the next turn of
   * the event loop, so what one API call changes in the same tick (a service and its checks)
   * goes out as one round, and clients that read the catalog ~40 ms after registering (as
   * Consul's clients and tests do) see it.
   */
  readonly debounceMs?: number;
  /** Longest wait before retrying a failed round (Consul's retryFailIntv). Retries start at 1s and double. */
  readonly retryMaxMs?: number;
  readonly random?: () => number;
  /**
   * The token anti-entropy acts with: Consul's `acl.tokens.agent`, falling back to
   * `default`. Asked at every round, so a token set over the API applies at once.
   */
  readonly token?: () => string | undefined;
  /** Consul's `acl.tokens.config_file_service_registration` (falling back to `default`). */
  readonly configToken?: () => string | undefined;
}

const DEFAULT_INTERVAL_MS = 60_000; // Consul: full sync every minute (before scaling)
const DEFAULT_DEBOUNCE_MS = 0;
const DEFAULT_RETRY_MAX_MS = 15_000; // Consul's retryFailIntv
const STALE: QueryOptions = { minIndex: 0, maxWaitMs: 0, allowStale: true, requireConsistent: false, maxStaleMs: 0 };

/**
 * Keeps the catalog's entries for this node equal to local state (Consul's anti-entropy):
 * a partial round pushes what changed shortly after each change; a full round, at start
 * and then every interval (scaled by cluster size, staggered), first reads the catalog's
 * view of the node and also removes what the agent does not know. Rounds never overlap;
 * a failed round is logged and retried with backoff.
 */
export class AntiEntropy {
  private readonly intervalMs: number;
  private readonly debounceMs: number;
  private readonly retryMaxMs: number;
  private readonly random: () => number;
  private readonly token: () => string | undefined;
  private readonly configToken: () => string | undefined;
  private fullTimer: NodeJS.Timeout | undefined;
  private debounceTimer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private pendingKind: 'full' | 'changes' | undefined;
  private waiters: (() => void)[] = [];
  private busy = false;
  private stopped = true;
  private failures = 0;
  private consulOutOfSync = false;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly state: LocalState,
    private readonly rpc: SyncRpc,
    private readonly config: RuntimeConfig,
    private readonly log: Logger,
    /** Alive LAN members, for interval scaling. */
    private readonly clusterSize: () => number,
    opts: AntiEntropyOptions = {},
    private readonly metrics?: AgentMetrics,
  ) {
    this.intervalMs = opts.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.debounceMs = opts.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    this.retryMaxMs = opts.retryMaxMs ?? DEFAULT_RETRY_MAX_MS;
    this.random = opts.random ?? Math.random;
    this.token = opts.token ?? (() => undefined);
    this.configToken = opts.configToken ?? (() => undefined);
  }

  start(): void {
    this.stopped = false;
    this.consulOutOfSync = this.config.server;
    this.unsubscribe = this.state.onChange((urgent) => {
      if (urgent) this.triggerChanges();
    });
    void this.request('full');
  }

  /** Stop scheduling; resolves once an in-flight round has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    clearTimeout(this.fullTimer);
    this.clearDebounce();
    while (this.busy) await new Promise((r) => setTimeout(r, 5));
  }

  /**
   * Push local changes at once, coalescing what changes in the same tick; while a round is
   * in flight, later changes are gathered into the one round that follows it.
   */
  triggerChanges(): void {
    if (this.stopped || this.debounceTimer) return;
    const fire = () => {
      this.debounceTimer = undefined;
      void this.request('changes');
    };
    if (this.debounceMs > 0) {
      const t = setTimeout(fire, this.debounceMs);
      t.unref();
      this.debounceTimer = t;
    } else this.debounceTimer = setImmediate(fire);
  }

  private clearDebounce(): void {
    const t = this.debounceTimer;
    this.debounceTimer = undefined;
    if (t === undefined) return;
    if (this.debounceMs === 0) clearImmediate(t as NodeJS.Immediate);
    else clearTimeout(t as NodeJS.Timeout);
  }

  /** Run a full round now; resolves when a round that began after this call has finished (errors are logged, not thrown). */
  syncNow(): Promise<void> {
    return this.request('full');
  }

  private request(kind: 'full' | 'changes'): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (kind === 'full' || !this.pendingKind) this.pendingKind = kind;
    const done = new Promise<void>((r) => this.waiters.push(r));
    if (!this.busy) {
      this.busy = true;
      void this.drain();
    }
    return done;
  }

  private async drain(): Promise<void> {
    while (this.pendingKind && !this.stopped) {
      const kind = this.pendingKind;
      this.pendingKind = undefined;
      const waiters = this.waiters.splice(0);
      const t0 = performance.now();
      try {
        if (kind === 'full') await this.syncFull();
        else await this.syncChanges();
        this.failures = 0;
        this.metrics?.sample(`consul.agent.anti_entropy.${kind}`, performance.now() - t0);
        if (kind === 'full') this.scheduleFull(fullSyncDelay(this.intervalMs, this.clusterSize(), this.random));
      } catch (e) {
        this.failures++;
        this.metrics?.incr('consul.agent.anti_entropy.failed');
        const retry = Math.min(this.retryMaxMs, 1000 * 2 ** (this.failures - 1));
        this.log.warn('syncing with the catalog failed, will retry', { round: kind, retryMs: retry, error: e });
        this.scheduleFull(retry + Math.floor(this.random() * retry * 0.25));
      }
      for (const w of waiters) w();
    }
    this.busy = false;
    for (const w of this.waiters.splice(0)) w(); // only left over when stopped
  }

  /** The node's own entry, deletions and the `consul` service: the agent token. */
  private caller(): RpcCaller {
    return { token: this.token() };
  }

  /**
   * A service or standalone check: the token it was registered with; for config-file
   * entries Consul's `config_file_service_registration` token; else the default token
   * (`undefined` lets the router apply it), as Consul's serviceToken/checkToken do.
   */
  private entryCaller(e: { readonly token?: string; readonly source: string }): RpcCaller {
    if (e.token) return { token: e.token };
    return { token: e.source === 'config' ? this.configToken() : undefined };
  }

  private scheduleFull(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.fullTimer);
    this.fullTimer = setTimeout(() => void this.request('full'), ms);
    this.fullTimer.unref();
  }

  private async syncFull(): Promise<void> {
    const node = this.config.nodeName;
    const [services, checks] = await Promise.all([
      this.rpc.read<{ Node: Node; Services: NodeService[] } | null>('Catalog.NodeServiceList', { node }, STALE, this.caller()),
      this.rpc.read<HealthCheck[]>('Health.NodeChecks', { node }, STALE, this.caller()),
    ]);
    const consul = this.config.server ? consulService(this.config) : undefined;
    this.consulOutOfSync = reconcile(
      this.state,
      nodeIdentity(this.config),
      { node: services.value?.Node, services: services.value?.Services ?? [], checks: checks.value },
      consul,
    );
    await this.syncChanges();
  }

  /**
   * Push out-of-sync entries and deletions (Consul's SyncChanges). Each write that
   * succeeds is recorded at once. A write the servers refuse for lack of ACL rights is
   * logged and counted as done until the next full round, as Consul does ("blocked by
   * ACLs"), so one entry the token may not write doesn't hold back the others.
   */
  private async syncChanges(): Promise<void> {
    const node = nodeIdentity(this.config);
    const p = this.state.pending();
    const write = async (what: Record<string, string>, cmd: Command, caller: RpcCaller = this.caller()) => {
      this.metrics?.incr('consul.agent.anti_entropy.writes');
      try {
        await this.rpc.write(cmd, caller);
      } catch (e) {
        if (!isCoded(e, 'PERMISSION_DENIED')) throw e;
        this.log.warn('catalog update blocked by ACLs', { ...what, error: e });
      }
    };
    if (!p.nodeInSync) {
      await write({ node: node.Node }, registration(node, false));
      this.state.setNodeInSync(true);
    }
    for (const id of p.deletedChecks) {
      await write({ check: id }, { v: 1, type: 'deregister', Node: node.Node, CheckID: id, now: 0 });
      this.state.checkDeleted(id);
      this.log.info('deregistered check', { check: id });
    }
    for (const id of p.deletedServices) {
      await write({ service: id }, { v: 1, type: 'deregister', Node: node.Node, ServiceID: id, now: 0 });
      this.state.serviceDeleted(id);
      this.log.info('deregistered service', { service: id });
    }
    if (this.consulOutOfSync && this.config.server) {
      await write({ service: 'consul' }, registration(node, true, { Service: serviceInput(consulService(this.config)) }));
      this.consulOutOfSync = false;
    }
    const checksLeft = new Map(p.checks.map((c) => [c.id, c]));
    for (const s of p.services) {
      const own = [...checksLeft.values()].filter((c) => c.value.check.ServiceID === s.id);
      await write(
        { service: s.id },
        registration(node, true, { Service: serviceInput(s.value.service), Checks: own.map((c) => checkInput(c.value.check)) }),
        this.entryCaller(s.value),
      );
      this.state.serviceSynced(s.id, s.rev);
      for (const c of own) {
        this.state.checkSynced(c.id, c.rev);
        checksLeft.delete(c.id);
      }
      this.log.debug('synced service', { service: s.id });
    }
    for (const c of checksLeft.values()) {
      await write({ check: c.id }, registration(node, true, { Check: checkInput(c.value.check) }), this.entryCaller(c.value));
      this.state.checkSynced(c.id, c.rev);
      this.log.debug('synced check', { check: c.id });
    }
  }
}
