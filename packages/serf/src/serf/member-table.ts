import type { Logger, Member, MemberStatus, Pool } from '@proconsul/kernel';
import type { NodeInfo } from '../memberlist/node-state.js';
import type { Scheduler } from '../memberlist/scheduler.js';
import type { IntentBuffer } from './intent-buffer.js';
import type { MembershipListeners } from './membership-listeners.js';
import { decodeTags } from './serf-messages.js';
import type { Snapshotter } from './snapshot.js';

export interface MemberState {
  name: string;
  addr: string;
  port: number;
  tags: Record<string, string>;
  status: MemberStatus;
  vsn: number[];
  statusLTime: number;
  /** Scheduler time it failed or left (for reconnect and reaping). */
  leaveTime: number;
}

type MemberEventType = 'member-join' | 'member-leave' | 'member-failed' | 'member-update' | 'member-reap';

/**
 * What the table needs from its Serf. Its methods run synchronously in memberlist's
 * upcalls (a packet or stream handler, a suspicion timer) and must not block.
 */
export interface MemberTableHost {
  readonly name: string;
  readonly pool: Pool;
  readonly log: Logger;
  readonly scheduler: Scheduler;
  /** Join/leave intents that arrived before the member itself; applied when it shows up. */
  readonly intentBuffer: IntentBuffer;
  readonly snapshot: Snapshotter | undefined;
  readonly listeners: MembershipListeners;
  /** Our own advertised address (a restart of ourselves under a new ID is not a conflict). */
  readonly config: { readonly memberlist: { readonly advertiseAddr: string; readonly advertisePort: number } };
  tags(): Record<string, string>;
}

/**
 * Serf's member list: memberlist's view (address, tags, up or down) combined with the
 * Lamport-ordered intents (leaving / left), the event each change produces, and the
 * snapshot entry that lets a restarted agent find its peers again.
 */
export class MemberTable {
  private readonly members = new Map<string, MemberState>();

  constructor(private readonly h: MemberTableHost) {}

  get(name: string): MemberState | undefined {
    return this.members.get(name);
  }

  values(): IterableIterator<MemberState> {
    return this.members.values();
  }

  hasAlivePeers(): boolean {
    for (const m of this.members.values()) if (m.name !== this.h.name && m.status === 'alive') return true;
    return false;
  }

  /** memberlist saw the node alive after not knowing it or after it was down. */
  join(n: NodeInfo): void {
    let m = this.members.get(n.name);
    const fresh = !m;
    if (!m) {
      m = {
        name: n.name,
        addr: n.addr,
        port: n.port,
        tags: decodeTags(n.meta),
        status: 'alive',
        vsn: n.vsn,
        statusLTime: 0,
        leaveTime: 0,
      };
      this.members.set(n.name, m);
      const intent = this.h.intentBuffer.take(n.name);
      if (intent) {
        m.statusLTime = intent.lt;
        if (intent.type === 'leave') m.status = 'leaving';
      }
    } else {
      Object.assign(m, { addr: n.addr, port: n.port, tags: decodeTags(n.meta), vsn: n.vsn, status: 'alive', leaveTime: 0 });
    }
    if (!fresh) this.h.log.info('member rejoined', { member: n.name, pool: this.h.pool });
    else this.h.log.info('member joined', { member: n.name, addr: `${n.addr}:${n.port}`, pool: this.h.pool });
    this.h.snapshot?.alive(n.name, `${n.addr}:${n.port}`);
    this.emitMember('member-join', m);
  }

  /** memberlist declared the node dead or left: left if it announced leaving, else failed. */
  leave(n: NodeInfo): void {
    const m = this.members.get(n.name);
    if (!m || m.status === 'left' || m.status === 'failed') return;
    m.leaveTime = this.h.scheduler.now();
    if (m.status === 'leaving' || n.state === 'left') {
      m.status = 'left';
      this.h.log.info('member left', { member: n.name, pool: this.h.pool });
      this.emitMember('member-leave', m);
    } else {
      m.status = 'failed';
      this.h.log.info('member failed, marking health critical', { member: n.name, pool: this.h.pool });
      this.emitMember('member-failed', m);
    }
    this.h.snapshot?.notAlive(n.name);
  }

  update(n: NodeInfo): void {
    const m = this.members.get(n.name);
    if (!m) return;
    Object.assign(m, { addr: n.addr, port: n.port, tags: decodeTags(n.meta), vsn: n.vsn });
    this.emitMember('member-update', m);
  }

  /**
   * Node names are identities: a live member's name with another node ID is refused —
   * unless it comes from the member's own address and port. Two processes cannot hold one
   * address, so that is the same node restarted with a new ID (a wiped data_dir); it also
   * answers the probes for its old identity, which would otherwise never fail, and it
   * would be refused forever. Its refutation then replaces the old identity.
   */
  conflict(n: NodeInfo): string | undefined {
    const id = decodeTags(n.meta)['id'];
    if (!id) return undefined;
    const self = n.name === this.h.name;
    const ml = this.h.config.memberlist;
    const mine = self
      ? { tags: this.h.tags(), status: 'alive' as MemberStatus, addr: ml.advertiseAddr, port: ml.advertisePort }
      : this.members.get(n.name);
    const live = (s: MemberStatus) => s === 'alive' || s === 'leaving';
    if (mine && live(mine.status) && mine.tags['id'] && mine.tags['id'] !== id) {
      if (mine.addr === n.addr && mine.port === n.port) {
        // Ours: the remote still knows our previous identity; we refute it with the new one.
        this.h.log.info('member restarted with a new node ID', { member: n.name, oldId: mine.tags['id'], newId: id });
        return undefined;
      }
      const reason = `member "${n.name}" already exists with node ID ${mine.tags['id']}; refusing ${n.addr}:${n.port} with node ID ${id} (duplicate node name)`;
      this.h.log.error('refusing member with a duplicate node name', {
        member: n.name,
        existingId: mine.tags['id'],
        newcomerId: id,
        newcomer: `${n.addr}:${n.port}`,
      });
      return reason;
    }
    return undefined;
  }

  /** Forgets the member (reaped, or pruned by force-leave). */
  erase(m: MemberState): void {
    this.members.delete(m.name);
    this.h.snapshot?.notAlive(m.name);
    this.emitMember('member-reap', m);
  }

  emitMember(type: MemberEventType, m: MemberState): void {
    this.h.listeners.emit({ type, pool: this.h.pool, members: [toMember(m)] });
  }
}

export function toMember(m: MemberState): Member {
  const v = m.vsn;
  return {
    name: m.name,
    addr: m.addr,
    port: m.port,
    tags: { ...m.tags },
    status: m.status,
    protocolMin: v[0] ?? 1,
    protocolMax: v[1] ?? 5,
    protocolCur: v[2] ?? 2,
    delegateMin: v[3] ?? 2,
    delegateMax: v[4] ?? 5,
    delegateCur: v[5] ?? 4,
  };
}
