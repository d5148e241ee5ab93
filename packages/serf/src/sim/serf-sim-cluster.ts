import { NullLogger, type GossipEncryption, type Logger, type MembershipEvent } from '@proconsul/kernel';
import { DefaultLANConfig } from '../memberlist/config.js';
import { Serf } from '../serf/serf.js';
import { defaultSerfConfig, type SerfConfig } from '../serf/serf-config.js';
import { SimNetwork, type SimNetworkOptions } from './sim-network.js';
import { SimScheduler } from './sim-scheduler.js';
import { allSeeExactly } from './convergence.js';

export interface SerfSimMember {
  readonly name: string;
  readonly key: string;
  readonly serf: Serf;
  readonly events: MembershipEvent[];
}

export interface AddOptions {
  readonly name?: string;
  readonly tags?: Record<string, string>;
  readonly encryption?: GossipEncryption;
  /** encrypt_verify_incoming / encrypt_verify_outgoing (default true), for encryption rollouts. */
  readonly verifyIncoming?: boolean;
  readonly verifyOutgoing?: boolean;
  readonly snapshotPath?: string;
  /** Reuse an address (a restarted member). */
  readonly addr?: string;
}

/** Serf instances on one seeded simulated network (replayable with the same seed). */
export class SerfSimCluster {
  readonly scheduler: SimScheduler;
  readonly net: SimNetwork;
  readonly members: SerfSimMember[] = [];
  private nextAddr = 0;

  constructor(
    seed: number,
    netOpts: SimNetworkOptions = {},
    private readonly tune: (c: SerfConfig) => SerfConfig = (c) => c,
    private readonly logger: Logger = new NullLogger(),
  ) {
    this.scheduler = new SimScheduler(seed);
    this.net = new SimNetwork(this.scheduler, seed ^ 0x5eed, netOpts);
  }

  add(o: AddOptions = {}): SerfSimMember {
    const i = this.nextAddr++;
    const addr = o.addr ?? `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`;
    const name = o.name ?? `node-${i}`;
    const transport = this.net.createTransport(addr, 8301);
    const ml = {
      ...DefaultLANConfig({ name, advertiseAddr: addr, advertisePort: 8301 }),
      gossipVerifyIncoming: o.verifyIncoming ?? true,
      gossipVerifyOutgoing: o.verifyOutgoing ?? true,
    };
    const config = this.tune({
      ...defaultSerfConfig(ml, o.tags ?? { id: `id-${name}`, role: 'node' }),
      snapshotPath: o.snapshotPath,
    });
    const serf = new Serf({
      config,
      pool: 'lan',
      transport,
      scheduler: this.scheduler,
      logger: this.logger.named(name),
      encryption: o.encryption,
    });
    const events: MembershipEvent[] = [];
    serf.subscribe((e) => events.push(e));
    serf.start();
    const m = { name, key: transport.key, serf, events };
    this.members.push(m);
    return m;
  }

  async addAndJoin(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const m = this.add();
      if (this.members.length > 1) await this.scheduler.settle(m.serf.join([this.members[0]!.key]));
    }
  }

  /** Every given member sees exactly the given set as alive. */
  converged(alive: readonly SerfSimMember[] = this.members): boolean {
    return allSeeExactly(alive, (m) =>
      m.serf
        .members()
        .filter((x) => x.status === 'alive')
        .map((x) => x.name),
    );
  }

  statusOf(viewer: SerfSimMember, name: string): string | undefined {
    return viewer.serf.members().find((m) => m.name === name)?.status;
  }

  async shutdown(): Promise<void> {
    for (const m of this.members) await m.serf.shutdown();
  }
}
