import { coordDistance } from '@proconsul/kernel';
import { expect } from 'chai';
import { Prng } from '../sim/prng.js';
import { SerfSimCluster } from '../sim/serf-sim-cluster.js';
import type { SerfConfig } from '../serf/serf-config.js';

const fast = { reapIntervalMs: 1_000, reconnectIntervalMs: 2_000, reconnectTimeoutMs: 20_000, tombstoneTimeoutMs: 20_000 };

/**
 * Members on a seeded plane with access-link heights: the true RTT of each pair is known,
 * the network delivers every datagram after exactly half of it, and the coordinates come
 * only from what the probes measure and the acks carry.
 */
async function gossipNetwork(seed: number, n: number, tune: (c: SerfConfig) => SerfConfig = (c) => c) {
  const rng = new Prng(seed);
  const pos = Array.from({ length: n }, () => [0.002 + rng.next() * 0.03, rng.next() * 0.03]);
  const height = Array.from({ length: n }, () => 0.001 + rng.next() * 0.003);
  const trueRtt = (i: number, j: number) =>
    Math.hypot(pos[i]![0]! - pos[j]![0]!, pos[i]![1]! - pos[j]![1]!) + height[i]! + height[j]!;
  const c = new SerfSimCluster(seed, {}, (x) => tune({ ...x, ...fast }));
  const index = new Map<string, number>();
  c.net.setLinkDelay((from, to) => {
    const i = index.get(from);
    const j = index.get(to);
    return i === undefined || j === undefined ? undefined : (trueRtt(i, j) * 1000) / 2;
  });
  for (let i = 0; i < n; i++) {
    const m = c.add();
    index.set(m.key, i);
    if (i > 0) await c.scheduler.settle(m.serf.join([c.members[0]!.key]));
  }
  const relErrors = () => {
    const errs: number[] = [];
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const self = c.members[i]!.serf.coordinate();
        const peer = c.members[i]!.serf.memberCoordinate(c.members[j]!.name);
        if (!self || !peer) return undefined;
        errs.push(Math.abs(coordDistance(self, peer) - trueRtt(i, j)) / trueRtt(i, j));
      }
    return errs.sort((a, b) => a - b);
  };
  return { c, relErrors };
}

describe('network coordinates from gossip probes (deterministic simulation)', () => {
  it('members with known latencies converge: each estimates every peer from the coordinates acks carried', async () => {
    const { c, relErrors } = await gossipNetwork(21, 10);
    await c.scheduler.runFor(300_000); // 300 probes per member at the 1 s LAN interval
    const errs = relErrors();
    expect(errs, 'every member holds every peer’s coordinate').to.not.equal(undefined);
    const median = errs![Math.floor(errs!.length / 2)]!;
    const p90 = errs![Math.floor(errs!.length * 0.9)]!;
    // The Vivaldi paper's (and serf's) median error on real networks is about 11%.
    expect(median, 'median relative error').to.be.lessThan(0.11);
    expect(p90, '90th percentile relative error').to.be.lessThan(0.3);
    for (const m of c.members) expect(m.serf.coordinate()!.Error, m.name).to.be.lessThan(0.5);
    await c.shutdown();
  });

  it('without coordinates on the acks nothing is learned (the convergence check can fail)', async () => {
    const { c, relErrors } = await gossipNetwork(21, 6, (x) => ({ ...x, disableCoordinates: true }));
    await c.scheduler.runFor(60_000);
    expect(relErrors()).to.equal(undefined);
    expect(c.members[0]!.serf.coordinate()).to.equal(undefined);
    await c.shutdown();
  });

  it('forgets a member’s coordinate when the member is reaped', async () => {
    const { c } = await gossipNetwork(22, 4);
    await c.scheduler.runFor(20_000);
    const [a, , , victim] = c.members;
    expect(a!.serf.memberCoordinate(victim!.name)).to.not.equal(undefined);
    c.net.setDown(victim!.key, true);
    const gone = await c.scheduler.runUntilTrue(() => !a!.serf.members().some((m) => m.name === victim!.name), 120_000);
    expect(gone, 'victim reaped').to.equal(true);
    expect(a!.serf.memberCoordinate(victim!.name)).to.equal(undefined);
    expect(a!.serf.memberCoordinate(c.members[1]!.name)).to.not.equal(undefined);
    await c.shutdown();
  });
});
