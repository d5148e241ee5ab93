import { expect } from 'chai';
import { SerfSimCluster } from '../sim/serf-sim-cluster.js';

/** 500 serf members in deterministic simulation (seeded; rerun gives the same run). */
describe('gossip at 500 members (simulation, slow)', function () {
  this.timeout(600_000);

  it('converges, detects 5 crashes everywhere, and has no false positives under 5% loss', async () => {
    const c = new SerfSimCluster(500, { loss: 0.05, minDelayMs: 1, maxDelayMs: 10 });
    for (let i = 0; i < 500; i++) {
      const m = c.add();
      // Join through a random earlier member, as agents with different retry_join lists would.
      if (i > 0) await c.scheduler.settle(m.serf.join([c.members[Math.floor(c.scheduler.random() * i)]!.key]));
    }
    expect(await c.scheduler.runUntilTrue(() => c.converged(), 120_000, 1_000)).to.equal(true);
    const victims = [13, 101, 222, 350, 499].map((i) => c.members[i]!);
    for (const v of victims) c.net.setDown(v.key, true);
    const live = c.members.filter((m) => !victims.includes(m));
    const detected = () => live.every((m) => victims.every((v) => c.statusOf(m, v.name) === 'failed'));
    expect(await c.scheduler.runUntilTrue(detected, 180_000, 1_000)).to.equal(true);
    const falseFailures = live.flatMap((m) =>
      m.events.filter((e) => e.type === 'member-failed' && e.members.some((x) => !victims.some((v) => v.name === x.name))),
    );
    expect(falseFailures).to.deep.equal([]);
    await c.shutdown();
  });
});
