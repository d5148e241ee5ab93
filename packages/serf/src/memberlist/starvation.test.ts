import { expect } from 'chai';
import { MemberlistSimCluster } from '../sim/memberlist-sim-cluster.js';
import type { StallGate } from '../sim/stall-gate.js';
import type { SimScheduler } from '../sim/sim-scheduler.js';

/**
 * Starves a member of CPU for `totalMs`: it runs `runMs`, then freezes for a random
 * 2-4 s, again and again (about 3% of a core, every freeze longer than a probe interval,
 * so it is suspected over and over and must refute within its short runs).
 */
function starve(s: SimScheduler, gate: StallGate, runMs: number, totalMs: number): void {
  const end = s.now() + totalMs;
  const cycle = () => {
    if (s.now() >= end) return;
    const stallMs = 2000 + s.random() * 2000;
    gate.stall(stallMs);
    s.setTimeout(cycle, stallMs + runMs);
  };
  cycle();
}

describe('memberlist under CPU starvation (deterministic simulation)', () => {
  it('a CPU-starved member is never declared dead and accuses no healthy one (10 members, 2-4 s freezes, 10 min)', async () => {
    let dead = 0;
    let refutations = 0;
    for (const seed of [3, 11]) {
      const c = new MemberlistSimCluster(seed, { loss: 0.01, minDelayMs: 1, maxDelayMs: 5 });
      await c.addAndJoin(10);
      expect(await c.scheduler.runUntilTrue(() => c.converged(), 30_000)).to.equal(true);
      starve(c.scheduler, c.members[4]!.gate, 100, 600_000);
      await c.scheduler.runFor(600_000);
      await c.shutdown();
      refutations += c.members[4]!.ml.node('node-4')!.incarnation;
      // Nobody crashed: every "dead" anywhere is a false positive.
      dead += c.members.flatMap((m) => m.delegate.events.filter((e) => e.type === 'leave')).length;
    }
    // It really was suspected, again and again, and answered every time.
    expect(refutations).to.be.greaterThan(100);
    expect(dead).to.equal(0);
  });
});
