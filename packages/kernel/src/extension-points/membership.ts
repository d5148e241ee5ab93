import type { Coord } from '@proconsul/model';

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

export type KeyringOp = 'list' | 'install' | 'use' | 'remove';

/** One pool's answer to a cluster-wide keyring operation (Consul's KeyringResponse). */
export interface KeyringPoolResult {
  readonly pool: Pool;
  /** Members expected to answer: every member not known to have left (failed ones too). */
  readonly numNodes: number;
  readonly numResp: number;
  readonly numErr: number;
  /** Node name → why it refused. */
  readonly messages: Readonly<Record<string, string>>;
  /** Key → how many members have it installed / as their primary key. */
  readonly keys: Readonly<Record<string, number>>;
  readonly primaryKeys: Readonly<Record<string, number>>;
}

export interface Membership {
  /** Snapshot of members as this agent sees them. */
  members(pool: Pool): readonly Member[];
  /**
   * Serf's own counters for `info` and agent/self (Consul's `serf_lan` / `serf_wan` keys:
   * members, failed, left, health_score, member_time, event_time, query_time, encrypted …);
   * undefined for a pool this agent is not in. Synchronous.
   */
  stats?(pool: Pool): Readonly<Record<string, string>> | undefined;
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
  /**
   * Lists or changes the gossip keyring of every member of the LAN pool and, on servers
   * (unless `localOnly`), the WAN pool. Changes apply to this agent first, so a bad key or
   * an illegal change throws this agent's coded error before anything is sent; then every
   * member applies it and answers. Resolves when all alive members answered or at the
   * query deadline. Absent when gossip is not encrypted by a plugin that supports it.
   * `pools` narrows it to the named pools this agent is in (a server asked for the WAN part
   * of a client agent's operation, or for its LAN pool from another datacenter).
   */
  keyring?(op: KeyringOp, key?: string, localOnly?: boolean, pools?: readonly Pool[]): Promise<KeyringPoolResult[]>;
  /**
   * This agent's Vivaldi coordinate in `pool` (from gossip probe RTTs); undefined when the
   * agent is not in that pool or computes none. Synchronous.
   */
  coordinate?(pool: Pool): Coord | undefined;
  /** The last coordinate member `name` of `pool` sent on a probe ack (ours for our name). */
  memberCoordinate?(pool: Pool, name: string): Coord | undefined;
  /** Listeners run on the event loop after the state change; they must not block. */
  subscribe(listener: MembershipListener): () => void;
}
