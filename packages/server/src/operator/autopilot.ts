import {
  CONSUL_COMPAT_VERSION,
  systemClock,
  type Clock,
  type Consensus,
  type Logger,
  type Member,
  type Membership,
  type MemberStatus,
  type ServerRpc,
  type Timer,
} from '@proconsul/kernel';
import { asServer } from '../cluster/server-members.js';
import type { AutopilotConfig } from './autopilot-config.js';
import type { AutopilotConfigStore } from './autopilot-config-store.js';
import { planDeadServerRemovals, planPromotions } from './autopilot-decisions.js';
import { HealthTracker, type ClusterHealth, type ServerObservation, type ServerStatsSample } from './autopilot-health.js';
import { asStatsSample, localServerStats } from './server-stats.js';

export const SERVER_STATS_RPC = 'Operator.ServerStats';

export interface AutopilotOptions {
  readonly clock?: Clock;
  /** How often the leader asks every server for its stats (Consul's server_health_interval: 2s). */
  readonly healthIntervalMs?: number;
  /** How often it acts on them: cleanup and promotion (Consul's autopilot reconcile interval: 10s). */
  readonly reconcileIntervalMs?: number;
  /** A server slower than this to report its stats counts as unhealthy for the round. */
  readonly statsTimeoutMs?: number;
  /** How often an idle leader contacts followers; the last-contact check allows two of these. */
  readonly heartbeatIntervalMs?: number;
}

export interface AutopilotDeps {
  readonly consensus: Consensus;
  /** Resolved on use: the membership plugin may be absent (then no cleanup runs). */
  readonly membership: () => Membership | undefined;
  readonly serverRpc: ServerRpc | undefined;
  readonly configStore: AutopilotConfigStore;
  readonly datacenter: string;
  readonly log: Logger;
}

/**
 * Consul's autopilot, on the leader only: every health interval it collects each raft
 * server's stats and gossip status into {@link ClusterHealth}; every reconcile interval it
 * removes dead servers and promotes stable non-voters. Rounds never overlap; losing
 * leadership stops the loop and forgets stability times.
 */
export class Autopilot {
  private readonly clock: Clock;
  private readonly tracker: HealthTracker;
  private timer: Timer | undefined;
  private offLeader: (() => void) | undefined;
  private lastHealth: ClusterHealth | undefined;
  private lastReconcile = 0;
  private round: Promise<void> | undefined;
  private leading = false;

  constructor(
    private readonly deps: AutopilotDeps,
    private readonly options: AutopilotOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.tracker = new HealthTracker(options.heartbeatIntervalMs ?? 0);
  }

  start(): void {
    this.offLeader = this.deps.consensus.onLeadershipChange((leader) => (leader ? this.gainLeadership() : this.loseLeadership()));
    if (this.deps.consensus.isLeader()) this.gainLeadership();
  }

  async stop(): Promise<void> {
    this.offLeader?.();
    this.loseLeadership();
    await this.round?.catch(() => {});
  }

  /** The latest health, computed now when no round has run yet on this leader. */
  async health(): Promise<ClusterHealth> {
    if (!this.lastHealth) await this.refreshHealth(await this.deps.configStore.getOrCreate());
    return this.lastHealth!;
  }

  /** One full round (health, then cleanup and promotion), for tests and for leadership gain. */
  async runOnce(): Promise<void> {
    const config = await this.deps.configStore.getOrCreate();
    await this.refreshHealth(config);
    await this.reconcile(config);
  }

  private gainLeadership(): void {
    if (this.leading) return;
    this.leading = true;
    this.lastReconcile = this.clock.now();
    this.schedule(0);
  }

  private loseLeadership(): void {
    this.leading = false;
    this.timer?.cancel();
    this.timer = undefined;
    this.tracker.reset();
    this.lastHealth = undefined;
  }

  private schedule(ms: number): void {
    this.timer?.cancel();
    this.timer = this.clock.setTimer(() => {
      this.round = this.tick().finally(() => {
        if (this.leading) this.schedule(this.options.healthIntervalMs ?? 2000);
      });
    }, ms);
  }

  private async tick(): Promise<void> {
    if (!this.leading || !this.deps.consensus.isLeader()) return;
    try {
      const config = await this.deps.configStore.getOrCreate();
      await this.refreshHealth(config);
      if (this.clock.now() - this.lastReconcile >= (this.options.reconcileIntervalMs ?? 10_000)) {
        this.lastReconcile = this.clock.now();
        await this.reconcile(config);
      }
    } catch (e) {
      this.deps.log.warn('autopilot round failed', { error: e });
    }
  }

  private async refreshHealth(config: AutopilotConfig): Promise<void> {
    const observations = await this.observe();
    this.lastHealth = this.tracker.update(observations, config, this.clock.now());
  }

  private async reconcile(config: AutopilotConfig): Promise<void> {
    const c = this.deps.consensus;
    if (!c.isLeader()) return;
    const leaderId = c.leader()?.id ?? '';
    const membership = this.deps.membership();
    const byId = membership ? this.serverMembers(membership) : undefined;
    if (byId) {
      const known = new Map([...byId].map(([id, m]) => [id, m.status]));
      for (const id of planDeadServerRemovals({ raft: c.configuration(), known, leaderId, config })) {
        this.deps.log.info('autopilot: removing dead server', { id, node: byId.get(id)?.name ?? '' });
        await c.removeServer(id);
      }
    }
    const health = this.lastHealth;
    if (!health) return;
    const eligible = (id: string) => {
      const tags = byId?.get(id)?.tags ?? {};
      return tags['read_replica'] !== '1' && tags['nonvoter'] !== '1';
    };
    for (const id of planPromotions(health.Servers, config, this.clock.now(), eligible)) {
      const s = c.configuration().find((x) => x.id === id);
      if (!s || s.suffrage === 'voter') continue;
      this.deps.log.info('autopilot: promoting server to voter', { id, node: s.node });
      await c.addServer({ id: s.id, node: s.node, address: s.address }, 'voter');
    }
  }

  private serverMembers(membership: Membership): Map<string, Member> {
    const out = new Map<string, Member>();
    for (const m of membership.members('lan')) {
      const s = asServer(m, this.deps.datacenter);
      if (s) out.set(s.id, m);
    }
    return out;
  }

  private async observe(): Promise<ServerObservation[]> {
    const c = this.deps.consensus;
    const leaderId = c.leader()?.id;
    const membership = this.deps.membership();
    const members = membership ? this.serverMembers(membership) : undefined;
    return Promise.all(
      c.configuration().map(async (s): Promise<ServerObservation> => {
        const m = members?.get(s.id);
        // Without gossip there is nothing to contradict raft: count every server as alive.
        const serfStatus: MemberStatus = members ? (m?.status ?? 'none') : 'alive';
        const self = s.id === leaderId;
        return {
          id: s.id,
          name: s.node,
          address: s.address,
          voter: s.suffrage === 'voter',
          leader: self,
          serfStatus,
          version: (m?.tags['build'] ?? CONSUL_COMPAT_VERSION).split(':')[0] ?? '',
          stats: self ? localServerStats(c) : await this.remoteStats(s.address),
        };
      }),
    );
  }

  private async remoteStats(address: string): Promise<ServerStatsSample | undefined> {
    if (!this.deps.serverRpc) return undefined;
    try {
      const r = await this.deps.serverRpc.call(
        address,
        'Call',
        { name: SERVER_STATS_RPC, args: {} },
        this.options.statsTimeoutMs ?? 1000,
      );
      return asStatsSample(r);
    } catch {
      return undefined;
    }
  }
}
