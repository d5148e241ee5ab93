import type { Logger } from '@proconsul/kernel';
import { GossipRefused } from '../errors.js';
import type { MemberlistConfig } from './config.js';
import type { PushNodeState, StreamMsg } from './messages.js';
import type { MemberlistDelegate, NodeState } from './node-state.js';
import type { NodeStateMachine } from './node-state-machine.js';
import type { NodeTable } from './node-table.js';
import type { Wire } from './wire.js';

type PushPullMsg = Extract<StreamMsg, { t: 'push-pull' }>;

/** Full-state sync converts between our node table and the wire form. */
export function toPushState(n: NodeState): PushNodeState {
  return { name: n.name, addr: n.addr, port: n.port, meta: n.meta, inc: n.incarnation, state: n.state, vsn: n.vsn };
}

export function fromPushState(p: PushNodeState, now: number): NodeState {
  return {
    name: String(p.name),
    addr: String(p.addr),
    port: Number(p.port),
    meta: p.meta instanceof Uint8Array ? p.meta : new Uint8Array(0),
    incarnation: Number(p.inc),
    state: p.state,
    stateChange: now,
    vsn: Array.isArray(p.vsn) ? p.vsn : [],
  };
}

/**
 * What push/pull needs from its Memberlist. A sync awaits one stream round trip; while it
 * is in flight gossip, probes and other syncs (ours or a peer's) go on, and the remote
 * state is applied synchronously once it arrives.
 */
export interface PushPullHost {
  readonly config: MemberlistConfig;
  readonly logger: Logger;
  readonly delegate: MemberlistDelegate | undefined;
  readonly nodes: NodeTable;
  readonly states: NodeStateMachine;
  readonly wire: Wire;
}

/**
 * Full-state sync over a stream: how a member joins, and a periodic anti-entropy pass
 * that repairs whatever gossip lost. Both sides send everything they know (and the
 * delegate's state); each applies the other's through the ordinary state machine.
 */
export class PushPullSync {
  constructor(private readonly h: PushPullHost) {}

  localState(join: boolean): PushPullMsg {
    return { t: 'push-pull', join, nodes: this.h.nodes.all().map(toPushState), user: this.h.delegate?.localState(join) ?? null };
  }

  /** Exchanges state with addr:port; rejects (GossipRefused) when either side refused. */
  async pushPull(addr: string, port: number, join: boolean): Promise<void> {
    const r = await this.h.wire.request(addr, port, this.localState(join), this.h.config.tcpTimeoutMs);
    if (r.t === 'error') throw GossipRefused(r.reason);
    if (r.t !== 'push-pull') throw new Error(`unexpected response ${r.t}`);
    const reason = this.mergeRemote(r);
    if (reason) throw GossipRefused(reason);
  }

  /** The anti-entropy pass: one random live peer; failures are only logged. */
  async periodic(): Promise<void> {
    const { config: c } = this.h;
    const [peer] = this.h.nodes.randomNodes(1, (n) => n.name === c.name || n.state !== 'alive');
    if (!peer) return;
    try {
      await this.pushPull(peer.addr, peer.port, false);
    } catch (e) {
      this.h.logger.debug('push/pull failed', { node: peer.name, error: e });
    }
  }

  /** Applies a remote full state; returns a refusal reason instead when the delegate objects. */
  mergeRemote(m: PushPullMsg): string | undefined {
    const { delegate, states } = this.h;
    if (!Array.isArray(m.nodes)) return 'malformed state';
    const reason = delegate?.notifyMerge?.(m.nodes.map((n) => fromPushState(n, 0)));
    if (reason) {
      this.h.logger.warn('refusing remote state', { reason });
      return reason;
    }
    for (const n of m.nodes) {
      if (n.state === 'alive')
        states.aliveNode({ t: 'alive', inc: n.inc, node: n.name, addr: n.addr, port: n.port, meta: n.meta, vsn: n.vsn }, false);
      else if (n.state === 'left') states.deadNode({ t: 'dead', inc: n.inc, node: n.name, from: n.name });
      // A remote "dead" is only our suspicion: the member gets its chance to refute.
      else states.suspectNode({ t: 'suspect', inc: n.inc, node: n.name, from: this.h.config.name });
    }
    if (m.user && delegate) delegate.mergeRemoteState(m.user, m.join);
    return undefined;
  }
}
