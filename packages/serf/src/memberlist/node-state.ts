/** A member as the SWIM layer tracks it. Mutated only by the owning Memberlist. */
export type NodeStateKind = 'alive' | 'suspect' | 'dead' | 'left';

export interface NodeState {
  name: string;
  addr: string;
  port: number;
  meta: Uint8Array;
  incarnation: number;
  state: NodeStateKind;
  /** Scheduler time of the last state change. */
  stateChange: number;
  /** [min, max, cur] protocol and delegate versions the member advertised. */
  vsn: number[];
}

export type NodeInfo = Readonly<NodeState>;

/**
 * Upcalls from memberlist to the layer above (serf). All run synchronously on the
 * receive path or a timer: they must not block.
 */
export interface MemberlistDelegate {
  /** Our metadata (serf tags), at most `limit` bytes. */
  nodeMeta(limit: number): Uint8Array;
  /** A user message (serf's own protocol) arrived by gossip or stream. */
  notifyMsg(data: Uint8Array): void;
  /** Extra broadcasts to piggyback, within `limit` bytes with `overhead` per message. */
  getBroadcasts(overhead: number, limit: number): Uint8Array[];
  localState(join: boolean): Uint8Array;
  mergeRemoteState(data: Uint8Array, join: boolean): void;
  notifyJoin(n: NodeInfo): void;
  notifyLeave(n: NodeInfo): void;
  notifyUpdate(n: NodeInfo): void;
  /** A reason to refuse a member we have not seen alive before (e.g. duplicate name). */
  notifyAlive?(n: NodeInfo): string | undefined;
  /** A reason to refuse a whole push-pull state (the joining side then fails its join). */
  notifyMerge?(nodes: readonly NodeInfo[]): string | undefined;
  /** memberlist's PingDelegate: bytes to put on our ack to a direct ping (kept small: UDP). */
  ackPayload?(): Uint8Array | undefined;
  /**
   * The ack to our direct ping of `n` arrived `rttMs` after we sent it, carrying `payload`
   * (absent when the peer sent none). Not called for indirect or TCP probes: their
   * timing includes a relay.
   */
  notifyPingComplete?(n: NodeInfo, rttMs: number, payload: Uint8Array | undefined): void;
}

export function cloneNode(n: NodeState): NodeInfo {
  return { ...n, vsn: [...n.vsn] };
}
