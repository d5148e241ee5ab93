import { expect } from 'chai';
import { SimCluster } from './sim-cluster.js';

async function commitN(c: SimCluster, n: number, prefix: string): Promise<void> {
  const all = Array.from({ length: n }, (_, i) => c.propose(`${prefix}${i}`, `v${i}`, 5000));
  await c.settle(Promise.all(all));
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
      second = leader.restoreUserState(0, () => {});
      transfer = leader.transferLeadership();
      for (const p of [proposal, second, transfer]) p.catch(() => {});
    });
    await c.settle(restore);
    expect(await rejection(proposal)).to.match(/snapshot restore is in progress/);
    expect(await rejection(second)).to.match(/snapshot restore is in progress/);
    expect(await rejection(transfer)).to.match(/snapshot restore is in progress/);
    const follower = c.nodes.get(c.all.find((id) => id !== leader.id)!)!;
    expect(await rejection(follower.restoreUserState(0, () => {}))).to.not.equal('resolved');
  });
});
