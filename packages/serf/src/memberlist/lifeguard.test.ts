import { expect } from 'chai';
import { SimScheduler } from '../sim/sim-scheduler.js';
import { Awareness } from './awareness.js';
import { DefaultLANConfig, DefaultLocalConfig, DefaultWANConfig, validateMemberlistConfig } from './config.js';
import { pushPullScale, remainingSuspicionTime, retransmitLimit, Suspicion, suspicionTimeout } from './suspicion.js';

const id = { name: 'n', advertiseAddr: '127.0.0.1', advertisePort: 8301 };

describe('lifeguard pieces', () => {
  it('awareness scales the probe interval up to the max multiplier and back down', () => {
    const a = new Awareness(8);
    expect(a.scaleTimeout(1000)).to.equal(1000);
    a.applyDelta(3);
    expect(a.scaleTimeout(1000)).to.equal(4000);
    a.applyDelta(100);
    expect(a.scaleTimeout(1000)).to.equal(8000);
    a.applyDelta(-100);
    expect(a.getHealthScore()).to.equal(0);
  });

  it('suspicion timeouts follow memberlist: min = mult × log10(n) × interval, max = 6 × min', () => {
    expect(suspicionTimeout(4, 3, 1000)).to.equal(4000); // log10(3) < 1 → scale 1
    expect(suspicionTimeout(4, 1000, 1000)).to.equal(12000);
    expect(retransmitLimit(4, 3)).to.equal(4);
    expect(retransmitLimit(4, 100)).to.equal(12);
    expect(pushPullScale(30_000, 32)).to.equal(30_000);
    expect(pushPullScale(30_000, 500)).to.equal(150_000);
    expect(remainingSuspicionTime(0, 3, 0, 2000, 30000)).to.equal(30000);
    expect(remainingSuspicionTime(3, 3, 0, 2000, 30000)).to.equal(2000);
  });

  it('a suspicion timer shrinks with each new independent confirmation', async () => {
    const s = new SimScheduler(1);
    let firedAt = -1;
    const susp = new Suspicion('accuser', 3, 2_000, 12_000, s, () => (firedAt = s.now()));
    expect(susp.confirm('accuser')).to.equal(false);
    await s.runFor(1_000);
    expect(susp.confirm('b')).to.equal(true);
    expect(susp.confirm('b')).to.equal(false);
    expect(susp.confirm('c')).to.equal(true);
    await s.runFor(20_000);
    // With 2 of 3 confirmations: 12000 - log(3)/log(4) × 10000 ≈ 4075ms from the start.
    expect(firedAt).to.be.within(4_000, 4_200);
  });

  it('without confirmations expected (k < 1) the minimum timeout applies', async () => {
    const s = new SimScheduler(1);
    let firedAt = -1;
    new Suspicion('a', 0, 3_000, 18_000, s, () => (firedAt = s.now()));
    await s.runFor(30_000);
    expect(firedAt).to.equal(3_000);
  });

  it('defaults match memberlist and validate', () => {
    const lan = validateMemberlistConfig(DefaultLANConfig(id));
    expect([
      lan.probeIntervalMs,
      lan.probeTimeoutMs,
      lan.suspicionMult,
      lan.suspicionMaxTimeoutMult,
      lan.retransmitMult,
      lan.gossipIntervalMs,
      lan.gossipNodes,
      lan.pushPullIntervalMs,
      lan.awarenessMaxMultiplier,
      lan.udpBufferSize,
      lan.indirectChecks,
    ]).to.deep.equal([1000, 500, 4, 6, 4, 200, 3, 30000, 8, 1400, 3]);
    const wan = validateMemberlistConfig(DefaultWANConfig(id));
    expect([
      wan.probeIntervalMs,
      wan.probeTimeoutMs,
      wan.suspicionMult,
      wan.gossipNodes,
      wan.gossipIntervalMs,
      wan.pushPullIntervalMs,
    ]).to.deep.equal([5000, 3000, 6, 4, 500, 60000]);
    const local = validateMemberlistConfig(DefaultLocalConfig(id));
    expect([local.probeTimeoutMs, local.indirectChecks, local.suspicionMult, local.gossipIntervalMs]).to.deep.equal([
      200, 1, 3, 100,
    ]);
    expect(() => validateMemberlistConfig({ ...lan, probeTimeoutMs: 2000 })).to.throw(/probeTimeoutMs/);
    expect(() => validateMemberlistConfig({ ...lan, name: '' })).to.throw(/name/);
  });
});
