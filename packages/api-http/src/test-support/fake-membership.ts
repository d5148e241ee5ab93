import { ContainerModule } from 'inversify';
import { Membership, type Coord, type Member, type MembershipListener, type Pool, type ProconsulPlugin } from '@proconsul/kernel';

/**
 * Test-only in-memory gossip for one agent: user events are delivered to this agent's own
 * subscribers at once with an increasing Lamport time, as serf delivers locally; `members`
 * lists what the test put there. No network, no failure detection.
 */
export class FakeMembership implements Membership {
  readonly listeners = new Set<MembershipListener>();
  readonly sentEvents: { name: string; payload: Uint8Array }[] = [];
  membersList: Member[] = [];
  /** WAN-pool members (servers named node.dc), for the datacenter endpoints. */
  wanMembers: Member[] = [];
  /** Our coordinate per pool, and members' coordinates keyed `pool:name`. */
  readonly selfCoord: Partial<Record<Pool, Coord>> = {};
  readonly coords = new Map<string, Coord>();
  private ltime = 0;

  members(pool: Pool = 'lan'): readonly Member[] {
    return pool === 'wan' ? this.wanMembers : this.membersList;
  }
  coordinate(pool: Pool): Coord | undefined {
    return this.selfCoord[pool];
  }
  memberCoordinate(pool: Pool, name: string): Coord | undefined {
    return this.coords.get(`${pool}:${name}`);
  }
  localMember(): Member {
    const m = this.membersList[0];
    if (!m) throw new Error('no local member in the fake');
    return m;
  }
  async join(): Promise<number> {
    return 0;
  }
  async leave(): Promise<void> {}
  async forceLeave(_node: string, _prune: boolean, _pool: Pool): Promise<void> {}
  async setTags(): Promise<void> {}
  async userEvent(name: string, payload: Uint8Array, coalesce: boolean): Promise<void> {
    this.sentEvents.push({ name, payload });
    this.deliverUserEvent(name, payload, coalesce);
  }
  /** As if the event arrived from another agent through gossip. */
  deliverUserEvent(name: string, payload: Uint8Array, coalesce = false): void {
    const ltime = ++this.ltime;
    for (const l of this.listeners) l({ type: 'user', name, payload, ltime, coalesce });
  }
  subscribe(listener: MembershipListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** A plugin binding `fake` as the agent's Membership. */
export function fakeMembershipPlugin(fake: FakeMembership): ProconsulPlugin {
  return {
    manifest: { name: 'fake-membership', version: '0.0.0', provides: ['membership'], requires: [], configSchema: {} },
    createModule: () =>
      new ContainerModule(({ bind }) => {
        bind<Membership>(Membership).toConstantValue(fake);
      }),
  };
}
