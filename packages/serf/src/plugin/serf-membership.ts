import { join as joinPath } from 'node:path';
import { inject, injectable, optional } from 'inversify';
import {
  GossipEncryption,
  MetricsRegistry,
  type Coord,
  NO_METRICS,
  type KeyringOp,
  type KeyringPoolResult,
  type Lifecycle,
  type Logger,
  type Member,
  type Membership,
  type MembershipListener,
  type MembershipQueryOptions,
  type MembershipQueryResult,
  type Pool,
  type RuntimeConfig,
} from '@proconsul/kernel';
import { GossipNotEncrypted, GossipNotStarted, PoolUnavailable } from '../errors.js';
import { DefaultLANConfig, DefaultLocalConfig, DefaultWANConfig } from '../memberlist/config.js';
import { RealScheduler, type TimerHandle } from '../memberlist/scheduler.js';
import { Serf } from '../serf/serf.js';
import { defaultSerfConfig } from '../serf/serf-config.js';
import { UdpTcpTransport } from '../transport/udp-tcp-transport.js';
import { advertiseAddress } from './advertise.js';
import { consulTags } from './consul-tags.js';
import { countSerfEvent, meteredTransport, serfGauges } from './serf-metrics.js';
import { serfStats } from './serf-stats.js';
import { answerKeyringQuery, isInternalQuery, keyringQuery } from './keyring-queries.js';

export const SerfPluginContext = Symbol.for('proconsul.serf.PluginContext');
export interface SerfPluginContext {
  readonly config: RuntimeConfig;
  readonly logger: Logger;
  /** 'local' uses memberlist's loopback timings (dev mode, tests). */
  readonly profile: 'lan' | 'local';
}

/**
 * The agent's gossip: a LAN pool always, a WAN pool on servers (members named node.dc).
 * Also the Lifecycle that opens the sockets (start) and closes them (stop, no leave: the
 * agent calls leave() first when it should leave gracefully).
 */
@injectable()
export class SerfMembership implements Membership, Lifecycle {
  readonly name = 'serf';
  private lan: Serf | undefined;
  private wan: Serf | undefined;
  private readonly listeners = new Set<MembershipListener>();
  private readonly retryTimers: TimerHandle[] = [];
  private stopped = false;
  private readonly scheduler = new RealScheduler();
  private readonly log: Logger;

  constructor(
    @inject(SerfPluginContext) private readonly ctx: SerfPluginContext,
    @inject(GossipEncryption) @optional() private readonly encryption?: GossipEncryption,
    @inject(MetricsRegistry) @optional() private readonly metrics: MetricsRegistry = NO_METRICS,
  ) {
    this.log = ctx.logger.named('serf');
  }
  private offGauges: (() => void) | undefined;

  async start(): Promise<void> {
    const c = this.ctx.config;
    const bind = c.bindAddr || '0.0.0.0';
    const adv = advertiseAddress(bind, c.advertiseAddr);
    try {
      if (c.ports.serfLan >= 0) this.lan = await this.createPool('lan', c.nodeName, bind, adv, c.ports.serfLan);
      if (c.server && c.ports.serfWan >= 0)
        this.wan = await this.createPool(
          'wan',
          `${c.nodeName}.${c.datacenter}`,
          bind,
          c.advertiseAddrWan || adv,
          c.ports.serfWan,
        );
      if (c.startJoin.length > 0) await this.join(c.startJoin, 'lan');
      if (this.wan && (c.startJoinWan?.length ?? 0) > 0) await this.join(c.startJoinWan!, 'wan');
    } catch (e) {
      // Release the LAN pool right here when the WAN port (or the start join) fails: a
      // failed start must never leave 8301 held.
      await this.stop();
      throw e;
    }
    this.retryJoin(c.retryJoin, 'lan');
    if (this.wan) this.retryJoin(c.retryJoinWan, 'wan', c.retryIntervalWanMs ?? 30_000, c.retryMaxWan ?? 0);
    this.offGauges = this.metrics.addGaugeSource(
      serfGauges(() =>
        (
          [
            ['lan', this.lan],
            ['wan', this.wan],
          ] as const
        )
          .filter((p): p is readonly ['lan' | 'wan', Serf] => p[1] !== undefined)
          .map(([pool, serf]) => {
            const members = serf.members();
            return {
              pool,
              score: serf.ml.awareness.getHealthScore(),
              alive: members.filter((m) => m.status === 'alive').length,
              total: members.length,
            };
          }),
      ),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.offGauges?.();
    for (const t of this.retryTimers) t.cancel();
    await Promise.all([this.wan?.shutdown(), this.lan?.shutdown()]);
  }

  stats(pool: Pool): Readonly<Record<string, string>> | undefined {
    const serf = pool === 'lan' ? this.lan : this.wan;
    return serf ? serfStats(serf, !!this.encryption) : undefined;
  }

  members(pool: Pool): readonly Member[] {
    return this.pool(pool).members();
  }

  localMember(pool: Pool): Member {
    return this.pool(pool).localMember();
  }

  async join(addresses: readonly string[], pool: Pool): Promise<number> {
    const n = await this.pool(pool).join(addresses, true);
    this.log.info('joined', { pool, contacted: n });
    return n;
  }

  /** WAN first, then LAN, as Consul does: servers stop being WAN targets before LAN ones. */
  async leave(): Promise<void> {
    await this.wan?.leave();
    await this.lan?.leave();
    await this.stop();
  }

  async forceLeave(node: string, prune: boolean, pool: Pool): Promise<void> {
    await this.pool(pool).forceLeave(node, prune);
  }

  /** Merged over the Consul tags, which cannot be removed this way (peers rely on them). */
  async setTags(tags: Readonly<Record<string, string>>): Promise<void> {
    await this.pool('lan').setTags({ ...tags, ...consulTags(this.ctx.config, 'lan') });
  }

  async userEvent(name: string, payload: Uint8Array, coalesce: boolean): Promise<void> {
    await this.pool('lan').userEvent(name, payload, coalesce);
  }

  async query(name: string, payload: Uint8Array, o: MembershipQueryOptions = {}): Promise<MembershipQueryResult> {
    return this.pool('lan').query(name, payload, {
      filters: { nodes: o.filterNodes, tags: o.filterTags },
      requestAck: o.requestAck,
      timeoutMs: o.timeoutMs,
    });
  }

  async keyring(op: KeyringOp, key = '', localOnly = false, only?: readonly Pool[]): Promise<KeyringPoolResult[]> {
    if (!this.encryption) throw GossipNotEncrypted();
    const names: Pool[] = only ? [...only] : ['lan', ...(this.wan && !localOnly ? (['wan'] as const) : [])];
    const pools = names.map((name) => ({ name, serf: this.pool(name), ring: this.ring(name)! }));
    // Here first, each pool's own keyring: a bad key or an illegal change fails with this
    // agent's error, unsent.
    const rings = [...new Set(pools.map((p) => p.ring))];
    for (const k of rings) {
      if (op === 'install') await k.installKey(key);
      else if (op === 'use') await k.useKey(key);
      else if (op === 'remove') await k.removeKey(key);
    }
    return Promise.all(pools.map((p) => keyringQuery(p.serf, op, key)));
  }

  /** The keyring gossip in `pool` uses: a server's WAN pool has its own when the plugin keeps one. */
  private ring(pool: Pool): GossipEncryption | undefined {
    return pool === 'wan' ? (this.encryption?.wan ?? this.encryption) : this.encryption;
  }

  coordinate(pool: Pool): Coord | undefined {
    return (pool === 'lan' ? this.lan : this.wan)?.coordinate();
  }

  memberCoordinate(pool: Pool, name: string): Coord | undefined {
    return (pool === 'lan' ? this.lan : this.wan)?.memberCoordinate(name);
  }

  subscribe(listener: MembershipListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private pool(p: Pool): Serf {
    const s = p === 'lan' ? this.lan : this.wan;
    if (!s) throw p === 'lan' && this.ctx.config.ports.serfLan >= 0 ? GossipNotStarted() : PoolUnavailable(p);
    return s;
  }

  private async createPool(pool: Pool, name: string, bind: string, adv: string, port: number): Promise<Serf> {
    const c = this.ctx.config;
    const logger = this.log.named(pool);
    const transport = meteredTransport(await UdpTcpTransport.listen(bind, port, logger), this.metrics);
    const id = { name, advertiseAddr: adv, advertisePort: transport.port };
    const profile =
      pool === 'wan' ? DefaultWANConfig(id) : this.ctx.profile === 'local' ? DefaultLocalConfig(id) : DefaultLANConfig(id);
    // `!== false`: a config built without these keys keeps Consul's default (verify both ways).
    const ml = {
      ...profile,
      ...(pool === 'wan' ? c.gossipWan : c.gossipLan),
      gossipVerifyIncoming: c.encryptVerifyIncoming !== false,
      gossipVerifyOutgoing: c.encryptVerifyOutgoing !== false,
    };
    const snapshotPath = c.dataDir
      ? joinPath(c.dataDir, 'serf', pool === 'lan' ? 'local.snapshot' : 'remote.snapshot')
      : undefined;
    const config = {
      ...defaultSerfConfig(ml, consulTags(c, pool)),
      snapshotPath,
      rejoinAfterLeave: c.rejoinAfterLeave,
      disableCoordinates: c.disableCoordinates === true,
    };
    const ring = this.ring(pool);
    const serf = new Serf({ config, pool, transport, scheduler: this.scheduler, logger, encryption: ring });
    serf.subscribe((e) => {
      countSerfEvent(e, this.metrics);
      if (e.type === 'query' && isInternalQuery(e.name)) return void answerKeyringQuery(ring, e, logger);
      for (const l of this.listeners) l(e);
    });
    serf.start();
    logger.info('gossip listening', {
      addr: `${bind}:${transport.port}`,
      advertise: `${adv}:${transport.port}`,
      encrypted: !!this.encryption,
      ...(this.encryption && { verifyIncoming: ml.gossipVerifyIncoming, verifyOutgoing: ml.gossipVerifyOutgoing }),
    });
    if (this.encryption && !(ml.gossipVerifyIncoming && ml.gossipVerifyOutgoing))
      logger.warn('gossip encryption is not enforced (encrypt_verify_incoming/outgoing = false): finish the rollout');
    return serf;
  }

  /** retry_join: keep trying every retry_interval until one join works or retry_max is hit. */
  private retryJoin(
    addrs: readonly string[],
    pool: Pool,
    intervalMs = this.ctx.config.retryIntervalMs,
    max = this.ctx.config.retryMax,
  ): void {
    if (addrs.length === 0) return;
    let attempts = 0;
    const attempt = async () => {
      attempts++;
      try {
        await this.join(addrs, pool);
      } catch (e) {
        if (this.stopped) return; // an attempt in flight at stop must not schedule another
        if (max > 0 && attempts >= max) {
          this.log.error('retry join failed too many times; giving up', { pool, attempts, error: e });
          return;
        }
        this.log.warn('join failed, retrying', { pool, in: `${intervalMs}ms`, error: e });
        this.retryTimers.push(this.scheduler.setTimeout(() => void attempt(), intervalMs));
      }
    };
    void attempt();
  }
}
