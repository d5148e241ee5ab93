import type { FsmSnapshot } from '@proconsul/kernel';
import { expect } from 'chai';
import { SimCluster } from './sim-cluster.js';

async function commitN(c: SimCluster, n: number, prefix: string): Promise<void> {
  const all = Array.from({ length: n }, (_, i) => c.propose(`${prefix}${i}`, `v${i}`, 5000));
  await c.settle(Promise.all(all));
}

/** The same snapshot, with each chunk produced `ms` of virtual time after the one before. */
function slowChunks(c: SimCluster, snap: FsmSnapshot, ms: number): FsmSnapshot {
  return {
    index: snap.index,
    async *chunks() {
      for await (const chunk of snap.chunks()) {
        await new Promise<void>((resolve) => c.sched.at(ms, resolve));
        yield chunk;
      }
    },
    release: () => snap.release(),
  };
}

async function rejection(p: Promise<unknown> | undefined): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  return 'resolved';
}

describe('raft user snapshot restore (simulation)', () => {
  it('installs the restored state on every server past the image and the log, keeping the configuration', async () => {
    const c = await SimCluster.create({ seed: 31, servers: ['a', 'b', 'c'] });
    const leader = await c.waitLeader();
    await commitN(c, 30, 'old');
    const config = leader.config;
    const lastBefore = leader.log.lastIndex();
    const imageIndex = lastBefore + 500; // an image from a busier cluster
    const index = await c.settle(
      leader.restoreUserState(imageIndex, (at) => {
        const fsm = c.fsms.get(leader.id)!;
        fsm.state = new Map([['restored', 'yes']]);
        fsm.lastIndex = at;
        return () => {};
      }),
    );
    expect(index).to.equal(imageIndex + 1);
    // Every follower got it by InstallSnapshot (the log has a hole at the restore index).
    expect(await c.runUntil(() => c.all.every((id) => c.nodes.get(id)!.lastApplied >= index + 1), 5000)).to.equal(true);
    for (const id of c.all) {
      const fsm = c.fsms.get(id)!;
      expect([...fsm.state.entries()], id).to.deep.equal([['restored', 'yes']]);
      expect(c.nodes.get(id)!.config, id).to.deep.equal(config);
    }
    // Writes continue after the restore, and a restarted follower rebuilds restored state + log.
    const after = await c.settle(c.propose('after', '1'));
    expect(after.index).to.be.greaterThan(index);
    const follower = c.all.find((id) => id !== leader.id)!;
    c.crash(follower);
    c.restart(follower);
    expect(await c.runUntil(() => (c.nodes.get(follower)?.lastApplied ?? 0) >= after.index, 5000)).to.equal(true);
    expect(c.fsms.get(follower)!.state.get('restored')).to.equal('yes');
    expect(c.fsms.get(follower)!.state.get('after')).to.equal('1');
    expect(c.fsms.get(follower)!.state.has('old0')).to.equal(false);
    expect(c.check.violations).to.deep.equal([]);
  });

  it('refuses proposals, a second restore and a leadership transfer while one runs, and refuses on a follower', async () => {
    const c = await SimCluster.create({ seed: 32, servers: ['a', 'b', 'c'] });
    const leader = await c.waitLeader();
    await commitN(c, 5, 'x');
    let proposal: Promise<unknown> | undefined;
    let second: Promise<unknown> | undefined;
    let transfer: Promise<unknown> | undefined;
    const restore = leader.restoreUserState(0, (at) => {
      c.fsms.get(leader.id)!.state = new Map();
      c.fsms.get(leader.id)!.lastIndex = at;
      proposal = leader.apply(new Uint8Array([0x80]));
      second = leader.restoreUserState(0, () => () => {});
      transfer = leader.transferLeadership();
      for (const p of [proposal, second, transfer]) p.catch(() => {});
      return () => {};
    });
    await c.settle(restore);
    expect(await rejection(proposal)).to.match(/snapshot restore is in progress/);
    expect(await rejection(second)).to.match(/snapshot restore is in progress/);
    expect(await rejection(transfer)).to.match(/snapshot restore is in progress/);
    const follower = c.nodes.get(c.all.find((id) => id !== leader.id)!)!;
    expect(await rejection(follower.restoreUserState(0, () => () => {}))).to.not.equal('resolved');
  });

  it('a leader cut off while writing the restored snapshot puts its state back and follows the new leader', async () => {
    const c = await SimCluster.create({ seed: 33, servers: ['a', 'b', 'c'] });
    const leader = await c.waitLeader();
    await commitN(c, 5, 'kept');
    const others = c.all.filter((id) => id !== leader.id);
    const restore = leader.restoreUserState(0, (at) => {
      const fsm = c.fsms.get(leader.id)!;
      const before = { state: fsm.state, lastIndex: fsm.lastIndex, snapshot: fsm.snapshot };
      fsm.state = new Map(Array.from({ length: 4_000 }, (_, i) => [`r${i}`, 'x']));
      fsm.lastIndex = at;
      // Serialising the restored state outlasts check-quorum: 250 chunks, 5 ms each.
      fsm.snapshot = () => slowChunks(c, before.snapshot.call(fsm), 5);
      c.partition([leader.id], others);
      return () => {
        fsm.state = before.state;
        fsm.lastIndex = before.lastIndex;
        fsm.snapshot = before.snapshot;
      };
    });
    restore.catch(() => {});
    const err = await c.settle(rejection(restore), 120_000);
    expect(err).to.match(/snapshot restore interrupted \(leadership lost\); nothing was restored/);
    expect(leader.stopped).to.equal(false);
    expect(leader.role).to.not.equal('leader');
    expect(c.fsms.get(leader.id)!.state.has('r0')).to.equal(false);
    c.heal();
    const fresh = await c.waitLeader();
    expect(others).to.include(fresh.id);
    const next = await c.settle(c.propose('next', '1'));
    expect(await c.runUntil(() => leader.lastApplied >= next.index, 5000)).to.equal(true);
    const fsm = c.fsms.get(leader.id)!;
    expect(fsm.state.get('kept4')).to.equal('v4');
    expect(fsm.state.get('next')).to.equal('1');
    expect(fsm.state.has('r0')).to.equal(false);
    // And the raft snapshot store never saw the restore: a restart rebuilds the same state.
    c.crash(leader.id);
    c.restart(leader.id);
    expect(await c.runUntil(() => (c.nodes.get(leader.id)?.lastApplied ?? 0) >= next.index, 5000)).to.equal(true);
    expect(c.fsms.get(leader.id)!.state.has('r0')).to.equal(false);
    expect(c.check.violations).to.deep.equal([]);
  });
});
