import type { GossipEncryption, Logger } from '@proconsul/kernel';
import { GossipJoinFailed, GossipRefused, GossipShutdown } from '../errors.js';
import { Awareness } from './awareness.js';
import { BroadcastQueue } from './broadcast-queue.js';
import { validateMemberlistConfig, type MemberlistConfig } from './config.js';
import { COMPOUND_PART_OVERHEAD, decode, encode, packCompound, unpackCompound, type Msg, type StreamMsg } from './messages.js';
import { cloneNode, type MemberlistDelegate, type NodeInfo, type NodeState } from './node-state.js';
import { probeNode, relayIndirectPing, type ProbeHost } from './prober.js';
import { fromPushState, toPushState } from './push-pull.js';
import { shuffle, waitAtMost, type Scheduler, type TimerHandle } from './scheduler.js';
import { pushPullScale, Suspicion, suspicionTimeout } from './suspicion.js';
import { parseHostPort, type Transport } from './transport.js';

/** Sealed packets carry version + nonce + tag (AES-GCM: 1 + 12 + 16); leave headroom. */
const ENCRYPTION_OVERHEAD = 40;
const META_MAX_SIZE = 512;
/** Expedited gossip rounds are at least this far apart (a tenth of the LAN gossip interval). */
const EXPEDITE_SPACING_MS = 20;

export interface MemberlistOptions {
  readonly config: MemberlistConfig;
  readonly transport: Transport;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  readonly delegate?: MemberlistDelegate;
  readonly encryption?: GossipEncryption;
}

export interface MemberlistStats {
  /** Packets or streams dropped because no installed key opened them. */
  decryptFailures: number;
  packetsSent: number;
  packetsReceived: number;
}

/**
 * SWIM membership with Lifeguard. Single-threaded: every method and handler runs on the
 * event loop; timers come from the injected Scheduler and bytes go through the injected
 * Transport, so one instance runs on sockets or inside a simulation unchanged.
 */
export class Memberlist implements ProbeHost {
  readonly config: MemberlistConfig;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  readonly awareness: Awareness;
  readonly stats: MemberlistStats = { decryptFailures: 0, packetsSent: 0, packetsReceived: 0 };
  private readonly transport: Transport;
  private readonly delegate: MemberlistDelegate | undefined;
  private readonly encryption: GossipEncryption | undefined;
  private readonly broadcasts: BroadcastQueue;
  private nodes: NodeState[] = [];
  private readonly nodeMap = new Map<string, NodeState>();
  private readonly suspicions = new Map<string, Suspicion>();
  private readonly acks = new Map<number, { onAck: () => void; onNack: () => void }>();
  private incarnation = 0;
  private seq = 0;
  private probeIndex = 0;
  private readonly timers = new Set<TimerHandle>();
  private running = false;
  private leaving = false;
  private expedited: TimerHandle | undefined;
  private lastExpedited = -Infinity;

  constructor(o: MemberlistOptions) {
    this.config = validateMemberlistConfig(o.config);
    this.transport = o.transport;
    this.scheduler = o.scheduler;
    this.logger = o.logger;
    this.delegate = o.delegate;
    this.encryption = o.encryption;
    this.awareness = new Awareness(this.config.awarenessMaxMultiplier);
    this.broadcasts = new BroadcastQueue(this.config.retransmitMult, () => this.nodes.length);
  }

  get name(): string {
    return this.config.name;
  }

  start(): void {
    this.transport.setPacketHandler((d, a, p) => this.onPacket(d, a, p));
    this.transport.setStreamHandler((d, a) => this.onStream(d, a));
    this.running = true;
    this.incarnation++;
    this.aliveNode(this.selfAlive(), true);
    this.every(
      () => this.awareness.scaleTimeout(this.config.probeIntervalMs),
      () => this.probeTick(),
      true,
    );
    this.every(
      () => this.config.gossipIntervalMs,
      () => this.gossip(),
    );
    this.every(
      () => pushPullScale(this.config.pushPullIntervalMs, this.nodes.length),
      () => this.periodicPushPull(),
    );
  }

  /** Members not known dead or left, including ourselves. */
  members(): NodeInfo[] {
    return this.nodes.filter((n) => n.state === 'alive' || n.state === 'suspect').map(cloneNode);
  }

  allNodes(): NodeInfo[] {
    return this.nodes.map(cloneNode);
  }

  node(name: string): NodeInfo | undefined {
    const n = this.nodeMap.get(name);
    return n && cloneNode(n);
  }

  numNodes(): number {
    return this.nodes.length;
  }

  /** Full-state sync with each address; resolves with how many answered, throws if none did. */
  async join(addresses: readonly string[]): Promise<number> {
    if (!this.running) throw GossipShutdown();
    let ok = 0;
    const errors: string[] = [];
    for (const a of addresses) {
      const { host, port } = parseHostPort(a, this.config.advertisePort);
      try {
        await this.pushPull(host, port, true);
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
    this.incarnation++;
    this.aliveNode(this.selfAlive(), true);
  }

  /** Gossips our departure and waits (at most timeoutMs) until it has been spread. */
  async leave(timeoutMs: number): Promise<void> {
    if (this.leaving || !this.running) return;
    this.leaving = true;
    const others = this.nodes.some((n) => n.name !== this.name && n.state === 'alive');
    let done!: () => void;
    const spread = new Promise<void>((r) => (done = r));
    this.deadNode({ t: 'dead', inc: this.incarnation, node: this.name, from: this.name }, done);
    if (others) await waitAtMost(this.scheduler, spread, timeoutMs);
  }

  async shutdown(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    for (const s of this.suspicions.values()) s.cancel();
    this.suspicions.clear();
    this.expedited?.cancel();
    this.expedited = undefined;
    this.broadcasts.reset();
    await this.transport.close();
  }

  /** Queue a message of the layer above for gossip (key invalidates older ones). */
  queueUserBroadcast(data: Uint8Array, key?: string, onDone?: () => void): void {
    this.broadcasts.queue(encode({ t: 'user', data }), key, onDone);
  }

  /**
   * Gossips pending broadcasts now instead of at the next tick. memberlist waits for the
   * tick, so news travels one hop per gossip interval (up to 200ms each on a LAN); for
   * news someone waits on (user events, queries, our own refutation) we push it at once.
   * Each early round spends the same retransmit budget a tick would, so the number of
   * copies sent is unchanged; rounds queued in one event-loop turn are merged, and
   * rounds are spaced EXPEDITE_SPACING_MS apart so a burst cannot flood the pool.
   */
  expediteGossip(): void {
    if (!this.running || this.expedited) return;
    const wait = Math.max(0, this.lastExpedited + EXPEDITE_SPACING_MS - this.scheduler.now());
    this.expedited = this.scheduler.setTimeout(() => {
      this.expedited = undefined;
      if (!this.running) return;
      this.lastExpedited = this.scheduler.now();
      this.gossip();
    }, wait);
  }

  /** Best-effort direct datagram of the layer above (query acks and responses). */
  sendUserPacket(addr: string, port: number, data: Uint8Array): void {
    this.sendMsgs(addr, port, [{ t: 'user', data }]);
  }

  // ---- ProbeHost ----

  nextSeq(): number {
    return ++this.seq;
  }

  registerAck(seq: number, onAck: () => void, onNack: () => void): () => void {
    this.acks.set(seq, { onAck, onNack });
    return () => this.acks.delete(seq);
  }

  sendMsgs(addr: string, port: number, msgs: Msg[]): void {
    if (!this.running) return;
    const parts = msgs.map(encode);
    const limit = this.config.udpBufferSize - (this.encryption ? ENCRYPTION_OVERHEAD : 0);
    let used = 0;
    for (const p of parts) used += p.length + COMPOUND_PART_OVERHEAD;
    parts.push(...this.getBroadcasts(COMPOUND_PART_OVERHEAD, limit - used));
    this.stats.packetsSent++;
    this.transport.sendPacket(addr, port, this.seal(packCompound(parts)));
  }

  async tcpPing(node: NodeState, timeoutMs: number): Promise<boolean> {
    try {
      const r = await this.streamRequest(node.addr, node.port, { t: 'ping', node: node.name }, timeoutMs);
      return r.t === 'ack';
    } catch {
      return false;
    }
  }

  randomNodes(k: number, exclude: (n: NodeState) => boolean): NodeState[] {
    const out: NodeState[] = [];
    const n = this.nodes.length;
    for (let i = 0; i < 3 * n && out.length < k; i++) {
      const cand = this.nodes[Math.floor(this.scheduler.random() * n)]!;
      if (exclude(cand) || out.includes(cand)) continue;
      out.push(cand);
    }
    return out;
  }

  suspect(node: NodeState): void {
    this.suspectNode({ t: 'suspect', inc: node.incarnation, node: node.name, from: this.name });
  }

  // ---- periodic work ----

  private every(interval: () => number, fn: () => void | Promise<void>, stagger = false): void {
    const schedule = (ms: number) => {
      const h = this.scheduler.setTimeout(async () => {
        this.timers.delete(h);
        if (!this.running) return;
        const started = this.scheduler.now();
        try {
          await fn();
        } catch (e) {
          this.logger.error('periodic task failed', { error: e });
        }
        if (this.running) schedule(Math.max(0, started + interval() - this.scheduler.now()));
      }, ms);
      this.timers.add(h);
    };
    // Random phase so members started together do not probe in lockstep.
    schedule(stagger ? this.scheduler.random() * interval() : interval());
  }

  private async probeTick(): Promise<void> {
    for (let checked = 0; checked < this.nodes.length; checked++) {
      if (this.probeIndex >= this.nodes.length) {
        this.resetNodes();
        this.probeIndex = 0;
        continue;
      }
      const node = this.nodes[this.probeIndex++]!;
      if (node.name === this.name || node.state === 'dead' || node.state === 'left') continue;
      await probeNode(this, node);
      return;
    }
  }

  /** Forget members dead for longer than gossipToTheDead and reshuffle the probe order. */
  private resetNodes(): void {
    const now = this.scheduler.now();
    const keep = this.nodes.filter(
      (n) => !((n.state === 'dead' || n.state === 'left') && now - n.stateChange > this.config.gossipToTheDeadTimeMs),
    );
    for (const n of this.nodes) if (!keep.includes(n)) this.nodeMap.delete(n.name);
    this.nodes = keep;
    shuffle(this.scheduler, this.nodes);
  }

  private gossip(): void {
    const now = this.scheduler.now();
    const targets = this.randomNodes(this.config.gossipNodes, (n) => {
      if (n.name === this.name) return true;
      if (n.state === 'alive' || n.state === 'suspect') return false;
      return now - n.stateChange > this.config.gossipToTheDeadTimeMs;
    });
    const limit = this.config.udpBufferSize - (this.encryption ? ENCRYPTION_OVERHEAD : 0);
    for (const t of targets) {
      const msgs = this.getBroadcasts(COMPOUND_PART_OVERHEAD, limit);
      if (msgs.length === 0) return;
      this.stats.packetsSent++;
      this.transport.sendPacket(t.addr, t.port, this.seal(packCompound(msgs)));
    }
  }

  private async periodicPushPull(): Promise<void> {
    const [peer] = this.randomNodes(1, (n) => n.name === this.name || n.state !== 'alive');
    if (!peer) return;
    try {
      await this.pushPull(peer.addr, peer.port, false);
    } catch (e) {
      this.logger.debug('push/pull failed', { node: peer.name, error: e });
    }
  }

  private getBroadcasts(overhead: number, limit: number): Uint8Array[] {
    const own = this.broadcasts.getBroadcasts(overhead, limit);
    let used = 0;
    for (const m of own) used += m.length + overhead;
    if (this.delegate && limit - used > overhead) {
      for (const d of this.delegate.getBroadcasts(overhead + 8, limit - used)) own.push(encode({ t: 'user', data: d }));
    }
    return own;
  }

  // ---- network input ----

  private seal(b: Uint8Array): Uint8Array {
    return this.encryption ? this.encryption.encrypt(b) : b;
  }

  private open(b: Uint8Array): Uint8Array | undefined {
    if (!this.encryption) return b;
    const p = this.encryption.decrypt(b);
    if (!p) this.stats.decryptFailures++;
    return p;
  }

  private onPacket(data: Uint8Array, fromAddr: string, fromPort: number): void {
    if (!this.running) return;
    const plain = this.open(data);
    if (!plain) return;
    this.stats.packetsReceived++;
    for (const part of unpackCompound(plain)) {
      const m = decode<Msg>(part);
      if (m) this.handleMsg(m, fromAddr, fromPort);
    }
  }

  private handleMsg(m: Msg, fromAddr: string, fromPort: number): void {
    switch (m.t) {
      case 'ping':
        if (m.node && m.node !== this.name) return; // meant for a previous owner of this address
        this.sendMsgs(m.addr || fromAddr, m.port || fromPort, [{ t: 'ack', seq: m.seq }]);
        return;
      case 'ping-req':
        relayIndirectPing(this, m);
        return;
      case 'ack':
        this.acks.get(m.seq)?.onAck();
        return;
      case 'nack':
        this.acks.get(m.seq)?.onNack();
        return;
      case 'suspect':
        this.suspectNode(m);
        return;
      case 'alive':
        this.aliveNode(m, false);
        return;
      case 'dead':
        this.deadNode(m);
        return;
      case 'user':
        this.delegate?.notifyMsg(m.data);
        return;
    }
  }

  private async onStream(data: Uint8Array, _from: string): Promise<Uint8Array> {
    if (!this.running) throw GossipShutdown();
    const plain = this.open(data);
    if (!plain) throw new Error('stream could not be decrypted');
    const m = decode<StreamMsg>(plain);
    let reply: StreamMsg;
    if (!m) reply = { t: 'error', reason: 'malformed message' };
    else if (m.t === 'ping') reply = m.node && m.node !== this.name ? { t: 'error', reason: 'wrong node' } : { t: 'ack' };
    else if (m.t === 'user') {
      this.delegate?.notifyMsg(m.data);
      reply = { t: 'ok' };
    } else if (m.t === 'push-pull') {
      const reason = this.mergeRemote(m);
      reply = reason ? { t: 'error', reason } : this.localPushPull(m.join);
    } else reply = { t: 'error', reason: `unexpected ${m.t}` };
    return this.seal(encode(reply));
  }

  private async streamRequest(addr: string, port: number, m: StreamMsg, timeoutMs: number): Promise<StreamMsg> {
    const resp = await this.transport.request(addr, port, this.seal(encode(m)), timeoutMs);
    const plain = this.open(resp);
    if (!plain) throw new Error('response could not be decrypted (gossip encryption key mismatch?)');
    const r = decode<StreamMsg>(plain);
    if (!r) throw new Error('malformed response');
    return r;
  }

  private localPushPull(join: boolean): StreamMsg {
    return { t: 'push-pull', join, nodes: this.nodes.map(toPushState), user: this.delegate?.localState(join) ?? null };
  }

  private async pushPull(addr: string, port: number, join: boolean): Promise<void> {
    const r = await this.streamRequest(addr, port, this.localPushPull(join), this.config.tcpTimeoutMs);
    if (r.t === 'error') throw GossipRefused(r.reason);
    if (r.t !== 'push-pull') throw new Error(`unexpected response ${r.t}`);
    const reason = this.mergeRemote(r);
    if (reason) throw GossipRefused(reason);
  }

  /** Applies a remote full state; returns a refusal reason instead when the delegate objects. */
  private mergeRemote(m: Extract<StreamMsg, { t: 'push-pull' }>): string | undefined {
    if (!Array.isArray(m.nodes)) return 'malformed state';
    const reason = this.delegate?.notifyMerge?.(m.nodes.map((n) => fromPushState(n, 0)));
    if (reason) {
      this.logger.warn('refusing remote state', { reason });
      return reason;
    }
    for (const n of m.nodes) {
      if (n.state === 'alive')
        this.aliveNode({ t: 'alive', inc: n.inc, node: n.name, addr: n.addr, port: n.port, meta: n.meta, vsn: n.vsn }, false);
      else if (n.state === 'left') this.deadNode({ t: 'dead', inc: n.inc, node: n.name, from: n.name });
      // A remote "dead" is only our suspicion: the member gets its chance to refute.
      else this.suspectNode({ t: 'suspect', inc: n.inc, node: n.name, from: this.name });
    }
    if (m.user && this.delegate) this.delegate.mergeRemoteState(m.user, m.join);
    return undefined;
  }

  // ---- state machine ----

  private selfAlive(): Extract<Msg, { t: 'alive' }> {
    const meta = this.delegate?.nodeMeta(META_MAX_SIZE) ?? new Uint8Array(0);
    const c = this.config;
    return {
      t: 'alive',
      inc: this.incarnation,
      node: c.name,
      addr: c.advertiseAddr,
      port: c.advertisePort,
      meta,
      vsn: [...c.protocolVersion, ...c.delegateVersion],
    };
  }

  private aliveNode(a: Extract<Msg, { t: 'alive' }>, bootstrap: boolean): void {
    const isLocal = a.node === this.name;
    if (isLocal && this.leaving) return;
    let st = this.nodeMap.get(a.node);
    let addrChanged = false;
    if (!st) {
      const candidate: NodeState = {
        name: a.node,
        addr: a.addr,
        port: a.port,
        meta: a.meta,
        incarnation: 0,
        state: 'dead',
        stateChange: this.scheduler.now(),
        vsn: a.vsn ?? [],
      };
      if (!isLocal) {
        const reason = this.delegate?.notifyAlive?.(cloneNode({ ...candidate, incarnation: a.inc, state: 'alive' }));
        if (reason) {
          this.logger.warn('ignoring alive message', { node: a.node, reason });
          return;
        }
      }
      st = candidate;
      this.nodeMap.set(a.node, st);
      // Random position so every member probes in a different order.
      const i = Math.floor(this.scheduler.random() * (this.nodes.length + 1));
      this.nodes.splice(i, 0, st);
    } else if (st.addr !== a.addr || st.port !== a.port) {
      if (st.state === 'alive' || st.state === 'suspect') {
        if (!isLocal) {
          this.logger.error('conflicting address for member', {
            node: a.node,
            mine: `${st.addr}:${st.port}`,
            theirs: `${a.addr}:${a.port}`,
            state: st.state,
          });
          return;
        }
      } else addrChanged = true;
    }
    if (!isLocal && a.inc <= st.incarnation && !addrChanged) return;
    if (isLocal && a.inc < st.incarnation) return;
    this.suspicions.get(a.node)?.cancel();
    this.suspicions.delete(a.node);

    if (isLocal && !bootstrap) {
      const same =
        a.inc === this.incarnation &&
        a.addr === st.addr &&
        a.port === st.port &&
        Buffer.compare(Buffer.from(a.meta), Buffer.from(st.meta)) === 0;
      if (!same) this.refute(st, a.inc);
      return;
    }
    this.broadcasts.queue(encode(a), a.node);
    const wasDown = st.state === 'dead' || st.state === 'left';
    const metaChanged = Buffer.compare(Buffer.from(a.meta), Buffer.from(st.meta)) !== 0;
    st.incarnation = a.inc;
    st.meta = a.meta;
    st.addr = a.addr;
    st.port = a.port;
    st.vsn = a.vsn ?? st.vsn;
    if (st.state !== 'alive') {
      st.state = 'alive';
      st.stateChange = this.scheduler.now();
    }
    if (wasDown) this.delegate?.notifyJoin(cloneNode(st));
    else if (metaChanged) this.delegate?.notifyUpdate(cloneNode(st));
  }

  private refute(self: NodeState, accusedInc: number): void {
    this.incarnation = Math.max(this.incarnation, accusedInc) + 1;
    self.incarnation = this.incarnation;
    // Lifeguard: being accused suggests we are the slow one.
    this.awareness.applyDelta(1);
    this.broadcasts.queue(encode(this.selfAlive()), this.name);
    // Not at the next gossip tick: a member that was stalled (the usual reason it is
    // suspected) may stall again before that tick, while the accusers' timers run on.
    this.expediteGossip();
    this.logger.debug('refuting suspicion or death of ourselves', { incarnation: this.incarnation });
  }

  private suspectNode(s: Extract<Msg, { t: 'suspect' }>): void {
    const st = this.nodeMap.get(s.node);
    if (!st || s.inc < st.incarnation) return;
    const existing = this.suspicions.get(s.node);
    if (existing) {
      if (existing.confirm(s.from)) this.broadcasts.queue(encode(s), s.node);
      return;
    }
    if (st.state !== 'alive') return;
    if (s.node === this.name) {
      if (!this.leaving) this.refute(st, s.inc);
      return;
    }
    this.broadcasts.queue(encode(s), s.node);
    st.incarnation = s.inc;
    st.state = 'suspect';
    const changed = (st.stateChange = this.scheduler.now());
    const n = this.nodes.length;
    // Expect suspicionMult-2 confirmations; none if there are not enough other members.
    const k = n - 2 < this.config.suspicionMult - 2 ? 0 : this.config.suspicionMult - 2;
    const min = suspicionTimeout(this.config.suspicionMult, n, this.config.probeIntervalMs);
    const max = this.config.suspicionMaxTimeoutMult * min;
    const susp = new Suspicion(s.from, k, min, max, this.scheduler, (confirmations) => {
      const cur = this.nodeMap.get(s.node);
      if (!cur || cur.state !== 'suspect' || cur.stateChange !== changed || !this.running) return;
      this.logger.info('marking member as failed, suspect timeout reached', { node: s.node, confirmations });
      this.deadNode({ t: 'dead', inc: cur.incarnation, node: s.node, from: this.name });
    });
    this.suspicions.set(s.node, susp);
  }

  private deadNode(d: Extract<Msg, { t: 'dead' }>, onSpread?: () => void): void {
    const st = this.nodeMap.get(d.node);
    if (!st || d.inc < st.incarnation) return;
    this.suspicions.get(d.node)?.cancel();
    this.suspicions.delete(d.node);
    if (st.state === 'dead' || st.state === 'left') return;
    if (d.node === this.name && !this.leaving) {
      this.refute(st, d.inc);
      return;
    }
    this.broadcasts.queue(encode(d), d.node, onSpread);
    st.incarnation = d.inc;
    st.state = d.from === d.node ? 'left' : 'dead';
    st.stateChange = this.scheduler.now();
    this.delegate?.notifyLeave(cloneNode(st));
  }
}
