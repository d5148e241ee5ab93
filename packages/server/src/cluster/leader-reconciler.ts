import {
  AS_SERVER,
  CONSUL_SERVICE_ID,
  SERF_HEALTH_CHECK_ID,
  type Consensus,
  type Logger,
  type Member,
  type Membership,
  type RuntimeConfig,
} from '@proconsul/kernel';
import type { StateStore } from '@proconsul/state';
import { consulService, serviceInput } from '@proconsul/agent';
import type { ClusterRpc } from '../server/cluster-rpc.js';
import { asServer } from './server-members.js';

const RECONCILE_INTERVAL_MS = 60_000; // Consul's reconcile_interval: a full pass catches missed events

/**
 * On the leader: mirror gossip membership into the catalog with a `serfHealth` check per
 * node (alive → passing, failed → critical, left/reaped → deregistered), and keep the
 * raft configuration in step with the servers gossip knows (a new server is added, a
 * server that left is removed). Runs a full pass when leadership is gained, then on
 * every membership event and every minute.
 */
export class LeaderReconciler {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private again = false;

  constructor(
    private readonly config: RuntimeConfig,
    private readonly consensus: Consensus,
    private readonly membership: Membership,
    private readonly rpc: ClusterRpc,
    private readonly store: StateStore,
    private readonly log: Logger,
  ) {}

  start(): () => void {
    const offLead = this.consensus.onLeadershipChange((leader) => {
      if (leader) {
        this.schedule();
        this.timer = setInterval(() => this.schedule(), RECONCILE_INTERVAL_MS);
        this.timer.unref();
      } else if (this.timer) clearInterval(this.timer);
    });
    const offEvents = this.membership.subscribe((e) => {
      if (e.type !== 'user' && e.type !== 'query' && e.pool === 'lan' && this.consensus.isLeader()) this.schedule();
    });
    return () => {
      offLead();
      offEvents();
      if (this.timer) clearInterval(this.timer);
    };
  }

  /** Coalesce bursts of events into one pass at a time. */
  private schedule(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.reconcile()
      .catch((e) => this.log.warn('reconcile failed', { error: e }))
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.schedule();
        }
      });
  }

  private async reconcile(): Promise<void> {
    if (!this.consensus.isLeader()) return;
    const members = this.membership.members('lan');
    for (const m of members) {
      await this.reconcileMember(m);
      await this.ensureConsulService(m);
    }
    // Nodes in the catalog that gossip no longer knows at all were reaped: deregister them.
    const known = new Set(members.map((m) => m.name));
    for (const c of this.store.health.checksInState('any').value) {
      if (c.CheckID === SERF_HEALTH_CHECK_ID && !known.has(c.Node)) {
        await this.rpc.write({ v: 1, type: 'deregister', Node: c.Node, now: 0 }, AS_SERVER);
      }
    }
    await this.reconcileRaft(members);
  }

  private async reconcileMember(m: Member): Promise<void> {
    if (m.status === 'left') {
      if (this.store.catalog.node(m.name).value)
        await this.rpc.write({ v: 1, type: 'deregister', Node: m.name, now: 0 }, AS_SERVER);
      return;
    }
    if (m.status !== 'alive' && m.status !== 'failed') return;
    const status = m.status === 'alive' ? 'passing' : 'critical';
    const output = m.status === 'alive' ? 'Agent alive and reachable' : 'Agent not live or unreachable';
    const existing = this.store.health.nodeChecks(m.name).value.find((c) => c.CheckID === SERF_HEALTH_CHECK_ID);
    const node = this.store.catalog.node(m.name).value?.Node;
    if (existing?.Status === status && node?.Address === m.addr) return;
    await this.rpc.write(
      {
        v: 1,
        type: 'register',
        Node: m.name,
        ...(m.tags['id'] ? { ID: m.tags['id'] } : {}),
        Address: m.addr,
        Datacenter: this.config.datacenter,
        SkipNodeUpdate: node !== undefined && node.Address === m.addr,
        Check: { Node: m.name, CheckID: SERF_HEALTH_CHECK_ID, Name: 'Serf Health Status', Status: status, Output: output },
        now: 0,
      },
      AS_SERVER,
    );
  }

  /**
   * Every alive server has its `consul` service, as Consul's leader registers it. Each
   * server's anti-entropy registers the same entry for itself; this covers servers whose
   * agent token may not write that service under default-deny ACLs.
   */
  private async ensureConsulService(m: Member): Promise<void> {
    const server = m.status === 'alive' ? asServer(m, this.config.datacenter) : undefined;
    if (!server || this.store.catalog.nodeServices(m.name).value?.Services.some((s) => s.ID === CONSUL_SERVICE_ID)) return;
    const port = Number(server.address.slice(server.address.lastIndexOf(':') + 1));
    const service = consulService({ ...this.config, ports: { ...this.config.ports, server: port } });
    await this.rpc.write(
      { v: 1, type: 'register', Node: m.name, Address: m.addr, SkipNodeUpdate: true, Service: serviceInput(service), now: 0 },
      AS_SERVER,
    );
  }

  private async reconcileRaft(members: readonly Member[]): Promise<void> {
    const inRaft = new Map(this.consensus.configuration().map((s) => [s.id, s]));
    for (const m of members) {
      const server = asServer(m, this.config.datacenter);
      if (!server) continue;
      if (m.status === 'alive' && !inRaft.has(server.id)) {
        // As a non-voter: autopilot promotes it once it has been healthy for server_stabilization_time.
        this.log.info('adding server to raft as a non-voter', { node: server.node, address: server.address });
        await this.consensus.addServer(server, 'nonvoter');
      } else if (m.status === 'left' && inRaft.has(server.id) && server.id !== this.config.nodeId) {
        this.log.info('removing server that left', { node: server.node });
        await this.consensus.removeServer(server.id);
      }
    }
  }
}
