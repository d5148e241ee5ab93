/**
 * Gossip membership (the serf plugin). Every agent is a member of its datacenter's LAN
 * pool; servers are also in the WAN pool.
 */
export const Membership = Symbol.for('proconsul.Membership');

export type MemberStatus = 'alive' | 'leaving' | 'left' | 'failed' | 'none';
export type Pool = 'lan' | 'wan';

export interface Member {
  readonly name: string;
  readonly addr: string;
  readonly port: number;
  readonly tags: Readonly<Record<string, string>>;
  readonly status: MemberStatus;
  /** memberlist/serf protocol versions for `members -detailed` and /v1/agent/members. */
  readonly protocolMin: number;
  readonly protocolMax: number;
  readonly protocolCur: number;
  readonly delegateMin: number;
  readonly delegateMax: number;
  readonly delegateCur: number;
}

export type MembershipEvent =
  | {
      readonly type: 'member-join' | 'member-leave' | 'member-failed' | 'member-update' | 'member-reap';
      readonly pool: Pool;
      readonly members: readonly Member[];
    }
  | {
      readonly type: 'user';
      readonly name: string;
      readonly payload: Uint8Array;
      readonly ltime: number;
      readonly coalesce: boolean;
    }
  | {
      readonly type: 'query';
      readonly name: string;
      readonly payload: Uint8Array;
      readonly ltime: number;
      respond(payload: Uint8Array): Promise<void>;
    };

export type MembershipListener = (event: MembershipEvent) => void;

export interface MembershipQueryOptions {
  /** Only these node names respond (empty or absent: all). */
  readonly filterNodes?: readonly string[];
  /** Tag name → anchored regular expression the responder's tag must match. */
  readonly filterTags?: Readonly<Record<string, string>>;
  /** Ask every matching member to acknowledge receipt. */
  readonly requestAck?: boolean;
  /** Defaults to gossip interval × 16 × ceil(log10(n+1)) (serf). */
  readonly timeoutMs?: number;
}

export interface MembershipQueryResult {
  readonly acks: readonly string[];
  readonly responses: readonly { readonly from: string; readonly payload: Uint8Array }[];
}

export interface Membership {
  /** Snapshot of members as this agent sees them. */
  members(pool: Pool): readonly Member[];
  localMember(pool: Pool): Member;
  /** Join through the given host[:port] addresses; resolves with how many were contacted. */
  join(addresses: readonly string[], pool: Pool): Promise<number>;
  /** Broadcast leave intent and wait for it to propagate (bounded), then stop gossiping. */
  leave(): Promise<void>;
  forceLeave(node: string, prune: boolean, pool: Pool): Promise<void>;
  setTags(tags: Readonly<Record<string, string>>): Promise<void>;
  userEvent(name: string, payload: Uint8Array, coalesce: boolean): Promise<void>;
  /** Serf query to the LAN pool; resolves at its deadline with the acks and responses received. */
  query?(name: string, payload: Uint8Array, options?: MembershipQueryOptions): Promise<MembershipQueryResult>;
  /** Listeners run on the event loop after the state change; they must not block. */
  subscribe(listener: MembershipListener): () => void;
}
