import type { PushNodeState } from './messages.js';
import type { NodeState } from './node-state.js';

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
