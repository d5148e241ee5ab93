import { expect } from 'chai';
import { MemberlistSimCluster } from '../sim/memberlist-sim-cluster.js';
import type { MemberlistConfig } from './config.js';

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
    for (const m of others)
      expect(m.delegate.events.some((e) => e.type === 'leave' && e.node === victim.name && e.state === 'dead')).to.equal(true);
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
    accuser.ml.sendMsgs(c.members[3]!.ml.config.advertiseAddr, 7946, [
      { t: 'suspect', inc: before, node: target.name, from: accuser.name },
    ]);
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

  it('Lifeguard removes false positives seen without it (15% loss, one member 1.5 s slow each way, 20 members, 120s)', async () => {
    const falsePositives = async (seed: number, lifeguard: boolean) => {
      const off = (x: MemberlistConfig) => ({ ...x, awarenessMaxMultiplier: 1, suspicionMaxTimeoutMult: 1 });
      const c = new MemberlistSimCluster(seed, { loss: 0.15, minDelayMs: 1, maxDelayMs: 20 }, lifeguard ? (x) => x : off);
      await c.addAndJoin(20);
      await c.scheduler.runUntilTrue(() => c.converged(), 30_000);
      // An overloaded member: every packet to or from it takes 1.5 s longer (RTT > probe interval).
      c.net.setSlow(c.members[7]!.key, 1_500);
      await c.scheduler.runFor(120_000);
      await c.shutdown();
      // Nobody crashed, so every "dead" is false.
      return c.members.flatMap((m) => m.delegate.events.filter((e) => e.type === 'leave')).length;
    };
    const seeds = [6, 8];
    let withLg = 0;
    let without = 0;
    for (const s of seeds) {
      withLg += await falsePositives(s, true);
      without += await falsePositives(s, false);
    }
    expect(withLg).to.equal(0);
    expect(without).to.be.greaterThan(0);
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

  it('packs many broadcasts into compound packets that stay within udpBufferSize', async () => {
    const c = new MemberlistSimCluster(7);
    await c.addAndJoin(5);
    await c.scheduler.runUntilTrue(() => c.converged(), 10_000);
    for (let i = 0; i < 60; i++) c.members[0]!.ml.queueUserBroadcast(new Uint8Array(200).fill(i), `k${i}`);
    await c.scheduler.runFor(5_000);
    expect(c.net.stats.maxPacketSize).to.be.within(1_000, 1_400);
    await c.shutdown();
  });
});
