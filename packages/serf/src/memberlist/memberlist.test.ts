import { expect } from 'chai';
import { MemberlistSimCluster } from '../sim/memberlist-sim-cluster.js';
import { encode } from './messages.js';

describe('memberlist (deterministic simulation)', () => {
  it('converges after 3 members join through one seed', async () => {
    const c = new MemberlistSimCluster(1);
    await c.addAndJoin(3);
    expect(await c.scheduler.runUntilTrue(() => c.converged(), 10_000)).to.equal(true);
    await c.shutdown();
  });

  it('converges with 30 members under 5% packet loss', async () => {
    const c = new MemberlistSimCluster(2, { loss: 0.05 });
    await c.addAndJoin(30);
    expect(await c.scheduler.runUntilTrue(() => c.converged(), 30_000)).to.equal(true);
    await c.shutdown();
  });

  it('detects a crashed member and all others mark it dead', async () => {
    const c = new MemberlistSimCluster(3);
    await c.addAndJoin(8);
    await c.scheduler.runUntilTrue(() => c.converged(), 10_000);
    const victim = c.members[5]!;
    c.net.setDown(victim.key, true);
    const t0 = c.scheduler.now();
    const others = c.members.filter((m) => m !== victim);
    const ok = await c.scheduler.runUntilTrue(() => others.every((m) => m.ml.node(victim.name)?.state === 'dead'), 60_000);
    expect(ok).to.equal(true);
    // Suspicion min timeout is 4 × log10(8)… ≥ 4s; max 6× that: detection lies in between (+ probe time).
    const took = c.scheduler.now() - t0;
    expect(took).to.be.greaterThan(4_000).and.lessThan(40_000);
    for (const m of others) expect(m.delegate.events.some((e) => e.type === 'leave' && e.node === victim.name && e.state === 'dead')).to.equal(true);
    await c.shutdown();
  });

  it('a member refutes a false suspicion with a higher incarnation', async () => {
    const c = new MemberlistSimCluster(4);
    await c.addAndJoin(4);
    await c.scheduler.runUntilTrue(() => c.converged(), 10_000);
    const target = c.members[2]!;
    const before = target.ml.node(target.name)!.incarnation;
    // Member 1 wrongly accuses member 2 by sending the suspicion to member 3.
    const accuser = c.members[1]!;
    accuser.ml.sendMsgs(c.members[3]!.ml.config.advertiseAddr, 7946, [{ t: 'suspect', inc: before, node: target.name, from: accuser.name }]);
    await c.scheduler.runFor(20_000);
    expect(target.ml.node(target.name)!.incarnation).to.be.greaterThan(before);
    for (const m of c.members) expect(m.ml.node(target.name)!.state).to.equal('alive');
    expect(c.members.every((m) => !m.delegate.events.some((e) => e.type === 'leave'))).to.equal(true);
    await c.shutdown();
  });

  it('a graceful leave is seen as "left", not "dead"', async () => {
    const c = new MemberlistSimCluster(5);
    await c.addAndJoin(5);
    await c.scheduler.runUntilTrue(() => c.converged(), 10_000);
    const leaver = c.members[4]!;
    await c.scheduler.settle(leaver.ml.leave(5_000));
    await c.scheduler.runFor(2_000);
    for (const m of c.members.slice(0, 4)) expect(m.ml.node(leaver.name)?.state).to.equal('left');
    await c.shutdown();
  });

  it('has no false positives with Lifeguard under 10% loss and one slow member (20 members, 120s)', async () => {
    const c = new MemberlistSimCluster(6, { loss: 0.1, minDelayMs: 1, maxDelayMs: 20 });
    await c.addAndJoin(20);
    await c.scheduler.runUntilTrue(() => c.converged(), 30_000);
    // One member whose every packet takes 400ms more each way (an overloaded host).
    c.net.setSlow(c.members[7]!.key, 400);
    await c.scheduler.runFor(120_000);
    const falseDead = c.members.flatMap((m) => m.delegate.events.filter((e) => e.type === 'leave'));
    expect(falseDead).to.deep.equal([]);
    await c.shutdown();
  });

  it('is replayable: the same seed gives the same event history', async () => {
    const run = async () => {
      const c = new MemberlistSimCluster(42, { loss: 0.2 });
      await c.addAndJoin(6);
      c.net.setDown(c.members[3]!.key, true);
      await c.scheduler.runFor(30_000);
      await c.shutdown();
      return JSON.stringify(c.members.map((m) => m.delegate.events)) + JSON.stringify(c.net.stats);
    };
    expect(await run()).to.equal(await run());
  });

  it('keeps compound packets within udpBufferSize', () => {
    const big = encode({ t: 'user', data: new Uint8Array(300) });
    expect(big.length).to.be.lessThan(400);
  });
});
