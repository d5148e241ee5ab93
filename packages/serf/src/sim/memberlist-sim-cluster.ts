import { NullLogger, type GossipEncryption, type Logger } from '@proconsul/kernel';
import { DefaultLANConfig, type MemberlistConfig } from '../memberlist/config.js';
import { Memberlist } from '../memberlist/memberlist.js';
import type { MemberlistDelegate, NodeInfo } from '../memberlist/node-state.js';
import { SimNetwork, type SimNetworkOptions } from './sim-network.js';
import { SimScheduler } from './sim-scheduler.js';
import { StallGate } from './stall-gate.js';
import { allSeeExactly } from './convergence.js';

/** Delegate that only records membership events, for SWIM-level simulations. */
export class RecordingDelegate implements MemberlistDelegate {
  readonly events: { type: 'join' | 'leave' | 'update'; node: string; state: string; at: number }[] = [];
  constructor(private readonly now: () => number) {}
  nodeMeta(): Uint8Array {
    return new Uint8Array(0);
  }
  notifyMsg(): void {}
  getBroadcasts(): Uint8Array[] {
    return [];
  }
  localState(): Uint8Array {
    return new Uint8Array(0);
  }
  mergeRemoteState(): void {}
  notifyJoin(n: NodeInfo): void {
    this.events.push({ type: 'join', node: n.name, state: n.state, at: this.now() });
  }
  notifyLeave(n: NodeInfo): void {
    this.events.push({ type: 'leave', node: n.name, state: n.state, at: this.now() });
  }
  notifyUpdate(n: NodeInfo): void {
    this.events.push({ type: 'update', node: n.name, state: n.state, at: this.now() });
  }
}

export interface SimMember {
  readonly name: string;
  readonly key: string;
  readonly ml: Memberlist;
  readonly delegate: RecordingDelegate;
  /** Freezes this member's process (see StallGate). */
  readonly gate: StallGate;
}

/** N memberlists on one seeded simulated network; member i is 10.0.x.y:7946. */
export class MemberlistSimCluster {
  readonly scheduler: SimScheduler;
  readonly net: SimNetwork;
  readonly members: SimMember[] = [];

  constructor(
    seed: number,
    netOpts: SimNetworkOptions = {},
    private readonly tune: (c: MemberlistConfig) => MemberlistConfig = (c) => c,
    private readonly logger: Logger = new NullLogger(),
  ) {
    this.scheduler = new SimScheduler(seed);
    this.net = new SimNetwork(this.scheduler, seed ^ 0x5eed, netOpts);
  }

  add(encryption?: GossipEncryption): SimMember {
    const i = this.members.length;
    const addr = `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`;
    const name = `node-${i}`;
    const gate = new StallGate(this.scheduler);
    const transport = this.net.createTransport(addr, 7946);
    const delegate = new RecordingDelegate(() => this.scheduler.now());
    const config = this.tune(DefaultLANConfig({ name, advertiseAddr: addr, advertisePort: 7946 }));
    const ml = new Memberlist({
      config,
      transport: gate.wrap(transport),
      scheduler: gate.scheduler(),
      logger: this.logger.named(name),
      delegate,
      encryption,
    });
    ml.start();
    const m = { name, key: transport.key, ml, delegate, gate };
    this.members.push(m);
    return m;
  }

  /** Each new member joins through member 0 (as agents do with one seed address). */
  async addAndJoin(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const m = this.add();
      if (this.members.length > 1) await this.scheduler.settle(m.ml.join([this.members[0]!.key]));
    }
  }

  /** True when every live member sees exactly the given set as alive. */
  converged(alive: readonly SimMember[] = this.members): boolean {
    return allSeeExactly(alive, (m) =>
      m.ml
        .allNodes()
        .filter((n) => n.state === 'alive')
        .map((n) => n.name),
    );
  }

  async shutdown(): Promise<void> {
    for (const m of this.members) await m.ml.shutdown();
  }
}
