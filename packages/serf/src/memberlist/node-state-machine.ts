import type { Logger } from '@proconsul/kernel';
import type { Awareness } from './awareness.js';
import type { BroadcastQueue } from './broadcast-queue.js';
import type { MemberlistConfig } from './config.js';
import { encode, type Msg } from './messages.js';
import { cloneNode, type MemberlistDelegate, type NodeState } from './node-state.js';
import type { NodeTable } from './node-table.js';
import type { Scheduler } from './scheduler.js';
import { Suspicion, suspicionTimeout } from './suspicion.js';

const META_MAX_SIZE = 512;

export type AliveMsg = Extract<Msg, { t: 'alive' }>;
export type SuspectMsg = Extract<Msg, { t: 'suspect' }>;
export type DeadMsg = Extract<Msg, { t: 'dead' }>;

/**
 * What the state machine needs from its Memberlist. Everything is called synchronously
 * from a receive handler, a probe or a suspicion timer; none of it may block, and the
 * delegate's upcalls run inside these transitions.
 */
export interface NodeStateHost {
  readonly config: MemberlistConfig;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  readonly awareness: Awareness;
  readonly delegate: MemberlistDelegate | undefined;
  readonly nodes: NodeTable;
  readonly broadcasts: BroadcastQueue;
  isRunning(): boolean;
  /** True once our own leave started: from then on we no longer refute our death. */
  isLeaving(): boolean;
  expediteGossip(): void;
}

/**
 * SWIM's alive / suspect / dead transitions with incarnation numbers, Lifeguard's
 * confirmation-shortened suspicion timeouts, and refutation of accusations about
 * ourselves. Each accepted transition is queued for gossip keyed by the member, so only
 * its newest state spreads.
 */
export class NodeStateMachine {
  private ownIncarnation = 0;
  private readonly suspicions = new Map<string, Suspicion>();

  constructor(private readonly h: NodeStateHost) {}

  get incarnation(): number {
    return this.ownIncarnation;
  }

  /** Announces ourselves under a new incarnation (at start, and when our metadata changed). */
  advertiseSelf(): void {
    this.ownIncarnation++;
    this.aliveNode(this.selfAlive(), true);
  }

  /** Cancels pending suspicion timers (shutdown). */
  stop(): void {
    for (const s of this.suspicions.values()) s.cancel();
    this.suspicions.clear();
  }

  private selfAlive(): AliveMsg {
    const meta = this.h.delegate?.nodeMeta(META_MAX_SIZE) ?? new Uint8Array(0);
    const c = this.h.config;
    return {
      t: 'alive',
      inc: this.ownIncarnation,
      node: c.name,
      addr: c.advertiseAddr,
      port: c.advertisePort,
      meta,
      vsn: [...c.protocolVersion, ...c.delegateVersion],
    };
  }

  aliveNode(a: AliveMsg, bootstrap: boolean): void {
    const { delegate, logger, scheduler } = this.h;
    const isLocal = a.node === this.h.config.name;
    if (isLocal && this.h.isLeaving()) return;
    let st = this.h.nodes.get(a.node);
    let addrChanged = false;
    if (!st) {
      const candidate: NodeState = {
        name: a.node,
        addr: a.addr,
        port: a.port,
        meta: a.meta,
        incarnation: 0,
        state: 'dead',
        stateChange: scheduler.now(),
        vsn: a.vsn ?? [],
      };
      if (!isLocal) {
        const reason = delegate?.notifyAlive?.(cloneNode({ ...candidate, incarnation: a.inc, state: 'alive' }));
        if (reason) {
          logger.warn('ignoring alive message', { node: a.node, reason });
          return;
        }
      }
      st = candidate;
      this.h.nodes.add(st);
    } else if (st.addr !== a.addr || st.port !== a.port) {
      if (st.state === 'alive' || st.state === 'suspect') {
        if (!isLocal) {
          logger.error('conflicting address for member', {
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
        a.inc === this.ownIncarnation &&
        a.addr === st.addr &&
        a.port === st.port &&
        Buffer.compare(Buffer.from(a.meta), Buffer.from(st.meta)) === 0;
      if (!same) this.refute(st, a.inc);
      return;
    }
    this.h.broadcasts.queue(encode(a), a.node);
    const wasDown = st.state === 'dead' || st.state === 'left';
    const metaChanged = Buffer.compare(Buffer.from(a.meta), Buffer.from(st.meta)) !== 0;
    st.incarnation = a.inc;
    st.meta = a.meta;
    st.addr = a.addr;
    st.port = a.port;
    st.vsn = a.vsn ?? st.vsn;
    if (st.state !== 'alive') {
      st.state = 'alive';
      st.stateChange = scheduler.now();
    }
    if (wasDown) delegate?.notifyJoin(cloneNode(st));
    else if (metaChanged) delegate?.notifyUpdate(cloneNode(st));
  }

  private refute(self: NodeState, accusedInc: number): void {
    this.ownIncarnation = Math.max(this.ownIncarnation, accusedInc) + 1;
    self.incarnation = this.ownIncarnation;
    // Lifeguard: being accused suggests we are the slow one.
    this.h.awareness.applyDelta(1);
    this.h.broadcasts.queue(encode(this.selfAlive()), this.h.config.name);
    // Not at the next gossip tick: a member that was stalled (the usual reason it is
    // suspected) may stall again before that tick, while the accusers' timers run on.
    this.h.expediteGossip();
    this.h.logger.debug('refuting suspicion or death of ourselves', { incarnation: this.ownIncarnation });
  }

  suspectNode(s: SuspectMsg): void {
    const { config: c, nodes } = this.h;
    const st = nodes.get(s.node);
    if (!st || s.inc < st.incarnation) return;
    const existing = this.suspicions.get(s.node);
    if (existing) {
      if (existing.confirm(s.from)) this.h.broadcasts.queue(encode(s), s.node);
      return;
    }
    if (st.state !== 'alive') return;
    if (s.node === c.name) {
      if (!this.h.isLeaving()) this.refute(st, s.inc);
      return;
    }
    this.h.broadcasts.queue(encode(s), s.node);
    st.incarnation = s.inc;
    st.state = 'suspect';
    const changed = (st.stateChange = this.h.scheduler.now());
    const n = nodes.size;
    // Expect suspicionMult-2 confirmations; none if there are not enough other members.
    const k = n - 2 < c.suspicionMult - 2 ? 0 : c.suspicionMult - 2;
    const min = suspicionTimeout(c.suspicionMult, n, c.probeIntervalMs);
    const max = c.suspicionMaxTimeoutMult * min;
    const susp = new Suspicion(s.from, k, min, max, this.h.scheduler, (confirmations) => {
      const cur = nodes.get(s.node);
      if (!cur || cur.state !== 'suspect' || cur.stateChange !== changed || !this.h.isRunning()) return;
      this.h.logger.info('marking member as failed, suspect timeout reached', { node: s.node, confirmations });
      this.deadNode({ t: 'dead', inc: cur.incarnation, node: s.node, from: c.name });
    });
    this.suspicions.set(s.node, susp);
  }

  /** `onSpread` runs once the death (or our own leave) has been fully gossiped or superseded. */
  deadNode(d: DeadMsg, onSpread?: () => void): void {
    const st = this.h.nodes.get(d.node);
    if (!st || d.inc < st.incarnation) return;
    this.suspicions.get(d.node)?.cancel();
    this.suspicions.delete(d.node);
    if (st.state === 'dead' || st.state === 'left') return;
    if (d.node === this.h.config.name && !this.h.isLeaving()) {
      this.refute(st, d.inc);
      return;
    }
    this.h.broadcasts.queue(encode(d), d.node, onSpread);
    st.incarnation = d.inc;
    st.state = d.from === d.node ? 'left' : 'dead';
    st.stateChange = this.h.scheduler.now();
    this.h.delegate?.notifyLeave(cloneNode(st));
  }
}
