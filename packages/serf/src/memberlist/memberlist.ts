import type { GossipEncryption, Logger } from '@proconsul/kernel';
import { GossipJoinFailed, GossipRefused, GossipShutdown } from '../errors.js';
import { Awareness } from './awareness.js';
import { BroadcastQueue } from './broadcast-queue.js';
import { validateMemberlistConfig, type MemberlistConfig } from './config.js';
import { encode, type Msg } from './messages.js';
import { cloneNode, type MemberlistDelegate, type NodeInfo, type NodeState } from './node-state.js';
import { NodeStateMachine } from './node-state-machine.js';
import { NodeTable } from './node-table.js';
import { GossipLoop } from './gossip-loop.js';
import { PacketHandler } from './packet-handler.js';
import { probeNode, type ProbeHost } from './prober.js';
import { PushPullSync } from './push-pull.js';
import { waitAtMost, type Scheduler } from './scheduler.js';
import { pushPullScale } from './suspicion.js';
import { parseHostPort, type Transport } from './transport.js';
import { Wire, type MemberlistStats } from './wire.js';

export type { MemberlistStats } from './wire.js';

export interface MemberlistOptions {
  readonly config: MemberlistConfig;
  readonly transport: Transport;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  readonly delegate?: MemberlistDelegate;
  readonly encryption?: GossipEncryption;
}

/**
 * SWIM membership with Lifeguard. Single-threaded: every method and handler runs on the
 * event loop; timers come from the injected Scheduler and bytes go through the injected
 * Transport, so one instance runs on sockets or inside a simulation unchanged.
 *
 * This class holds the lifecycle and the public API and wires the parts together:
 * NodeTable (who we know), NodeStateMachine (alive/suspect/dead), GossipLoop (timers and
 * outgoing gossip), PacketHandler (incoming traffic), PushPullSync (full-state sync),
 * Wire (sealing and the Transport) and the prober (failure detection, via ProbeHost).
 */
export class Memberlist implements ProbeHost {
  readonly config: MemberlistConfig;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  readonly awareness: Awareness;
  readonly stats: MemberlistStats;
  private readonly transport: Transport;
  private readonly broadcasts: BroadcastQueue;
  private readonly nodes: NodeTable;
  private readonly wire: Wire;
  private readonly states: NodeStateMachine;
  private readonly loop: GossipLoop;
  private readonly sync: PushPullSync;
  private readonly packets: PacketHandler;
  private readonly delegate: MemberlistDelegate | undefined;
  private seq = 0;
  private running = false;
  private leaving = false;

  constructor(o: MemberlistOptions) {
    const config = (this.config = validateMemberlistConfig(o.config));
    this.transport = o.transport;
    this.scheduler = o.scheduler;
    this.logger = o.logger;
    this.delegate = o.delegate;
    this.awareness = new Awareness(config.awarenessMaxMultiplier);
    this.nodes = new NodeTable(o.scheduler, config.gossipToTheDeadTimeMs);
    this.broadcasts = new BroadcastQueue(config.retransmitMult, () => this.nodes.size);
    this.wire = new Wire(o.transport, o.encryption, config.udpBufferSize, {
      incoming: config.gossipVerifyIncoming,
      outgoing: config.gossipVerifyOutgoing,
    });
    this.stats = this.wire.stats;
    const parts = {
      config,
      scheduler: o.scheduler,
      logger: o.logger,
      awareness: this.awareness,
      delegate: o.delegate,
      nodes: this.nodes,
      broadcasts: this.broadcasts,
      wire: this.wire,
      isRunning: () => this.running,
      isLeaving: () => this.leaving,
      expediteGossip: () => this.expediteGossip(),
    };
    this.states = new NodeStateMachine(parts);
    this.loop = new GossipLoop(parts);
    this.sync = new PushPullSync({ ...parts, states: this.states });
    this.packets = new PacketHandler({ ...parts, name: config.name, states: this.states, sync: this.sync, prober: this });
  }

  get name(): string {
    return this.config.name;
  }

  start(): void {
    this.transport.setPacketHandler((d, a, p) => this.packets.onPacket(d, a, p));
    this.transport.setStreamHandler((d, a) => this.packets.onStream(d, a));
    this.running = true;
    this.states.advertiseSelf();
    this.loop.every(
      () => this.awareness.scaleTimeout(this.config.probeIntervalMs),
      () => this.probeTick(),
      true,
    );
    this.loop.every(
      () => this.config.gossipIntervalMs,
      () => this.loop.round(),
    );
    this.loop.every(
      () => pushPullScale(this.config.pushPullIntervalMs, this.nodes.size),
      () => this.sync.periodic(),
    );
  }

  /** Members not known dead or left, including ourselves. */
  members(): NodeInfo[] {
    return this.nodes
      .all()
      .filter((n) => n.state === 'alive' || n.state === 'suspect')
      .map(cloneNode);
  }

  allNodes(): NodeInfo[] {
    return this.nodes.all().map(cloneNode);
  }

  node(name: string): NodeInfo | undefined {
    const n = this.nodes.get(name);
    return n && cloneNode(n);
  }

  numNodes(): number {
    return this.nodes.size;
  }

  /** Full-state sync with each address; resolves with how many answered, throws if none did. */
  async join(addresses: readonly string[]): Promise<number> {
    if (!this.running) throw GossipShutdown();
    let ok = 0;
    const errors: string[] = [];
    for (const a of addresses) {
      const { host, port } = parseHostPort(a, this.config.advertisePort);
      try {
        await this.sync.pushPull(host, port, true);
        ok++;
      } catch (e) {
        errors.push(`${a}: ${(e as Error).message}`);
        this.logger.warn('failed to join', { address: a, error: e });
      }
    }
    if (ok === 0) {
      const refused = errors.find((e) => e.includes('join refused'));
      if (refused) throw GossipRefused(refused);
      throw GossipJoinFailed(errors);
    }
    return ok;
  }

  /** Re-advertises our metadata (new tags) with a higher incarnation. */
  updateMeta(): void {
    this.states.advertiseSelf();
  }

  /** Gossips our departure and waits (at most timeoutMs) until it has been spread. */
  async leave(timeoutMs: number): Promise<void> {
    if (this.leaving || !this.running) return;
    this.leaving = true;
    const others = this.nodes.all().some((n) => n.name !== this.name && n.state === 'alive');
    let done!: () => void;
    const spread = new Promise<void>((r) => (done = r));
    this.states.deadNode({ t: 'dead', inc: this.states.incarnation, node: this.name, from: this.name }, done);
    if (others) await waitAtMost(this.scheduler, spread, timeoutMs);
  }

  async shutdown(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.loop.stop();
    this.states.stop();
    this.broadcasts.reset();
    await this.transport.close();
  }

  /** Queue a message of the layer above for gossip (key invalidates older ones). */
  queueUserBroadcast(data: Uint8Array, key?: string, onDone?: () => void): void {
    this.broadcasts.queue(encode({ t: 'user', data }), key, onDone);
  }

  /** Gossips pending broadcasts now instead of at the next tick (see GossipLoop.expedite). */
  expediteGossip(): void {
    this.loop.expedite();
  }

  /** Best-effort direct datagram of the layer above (query acks and responses). */
  sendUserPacket(addr: string, port: number, data: Uint8Array): void {
    this.sendMsgs(addr, port, [{ t: 'user', data }]);
  }

  // ---- ProbeHost ----

  nextSeq(): number {
    return ++this.seq;
  }

  registerAck(seq: number, onAck: (payload?: Uint8Array) => void, onNack: () => void): () => void {
    return this.packets.registerAck(seq, onAck, onNack);
  }

  sendMsgs(addr: string, port: number, msgs: Msg[]): void {
    if (!this.running) return;
    this.loop.send(addr, port, msgs);
  }

  async tcpPing(node: NodeState, timeoutMs: number): Promise<boolean> {
    try {
      const r = await this.wire.request(node.addr, node.port, { t: 'ping', node: node.name }, timeoutMs);
      return r.t === 'ack';
    } catch {
      return false;
    }
  }

  randomNodes(k: number, exclude: (n: NodeState) => boolean): NodeState[] {
    return this.nodes.randomNodes(k, exclude);
  }

  pingComplete(node: NodeState, rttMs: number, payload: Uint8Array | undefined): void {
    this.delegate?.notifyPingComplete?.(cloneNode(node), rttMs, payload);
  }

  suspect(node: NodeState): void {
    this.states.suspectNode({ t: 'suspect', inc: node.incarnation, node: node.name, from: this.name });
  }

  private async probeTick(): Promise<void> {
    const node = this.nodes.nextProbeTarget(this.name);
    if (node) await probeNode(this, node);
  }
}
