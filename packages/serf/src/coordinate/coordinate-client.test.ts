import { coordDistance } from '@proconsul/kernel';
import { expect } from 'chai';
import { CoordinateClient } from './coordinate-client.js';
import { DEFAULT_VIVALDI_CONFIG } from './vivaldi-config.js';

describe('CoordinateClient', () => {
  it('starts at the origin with Consul defaults: 8 dimensions, error 1.5, minimum height', () => {
    const c = new CoordinateClient().coordinate();
    expect(c.Vec).to.deep.equal([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(c.Error).to.equal(1.5);
    expect(c.Height).to.equal(10e-6);
    expect(c.Adjustment).to.equal(0);
  });

  it('two nodes repeatedly measuring 10 ms end up estimating about 10 ms', () => {
    const a = new CoordinateClient();
    const b = new CoordinateClient();
    for (let i = 0; i < 200; i++) {
      a.update('b', b.coordinate(), 0.01);
      b.update('a', a.coordinate(), 0.01);
    }
    expect(coordDistance(a.coordinate(), b.coordinate())).to.be.closeTo(0.01, 0.001);
    expect(a.peer('b')).to.not.equal(undefined);
  });

  it('the latency filter takes the median of 3, so one outlier does not move the estimate', () => {
    const a = new CoordinateClient();
    const b = new CoordinateClient();
    for (let i = 0; i < 200; i++) {
      a.update('b', b.coordinate(), 0.01);
      b.update('a', a.coordinate(), 0.01);
    }
    const before = a.coordinate();
    a.update('b', b.coordinate(), 5); // one stalled sample
    const moved = Math.abs(coordDistance(a.coordinate(), b.coordinate()) - coordDistance(before, b.coordinate()));
    expect(moved).to.be.lessThan(0.001);
  });

  it('rejects unusable samples: non-positive or >10 s RTT, NaN or other-dimension coordinates', () => {
    const a = new CoordinateClient();
    const good = new CoordinateClient().coordinate();
    expect(a.update('b', good, 0)).to.equal(false);
    expect(a.update('b', good, 11)).to.equal(false);
    expect(a.update('b', { ...good, Vec: [Number.NaN, ...good.Vec.slice(1)] }, 0.01)).to.equal(false);
    expect(a.update('b', { ...good, Vec: [0, 0] }, 0.01)).to.equal(false);
    expect(a.coordinate()).to.deep.equal(new CoordinateClient().coordinate());
    expect(a.peerNames()).to.deep.equal([]);
  });

  it('distance includes heights and adjustments, ignoring a negative adjusted total', () => {
    const base = { Vec: [3, 4], Error: 1, Adjustment: 0, Height: 0.5 };
    const origin = { Vec: [0, 0], Error: 1, Adjustment: 0, Height: 0.5 };
    expect(coordDistance(base, origin)).to.equal(6);
    expect(coordDistance({ ...base, Adjustment: 1 }, origin)).to.equal(7);
    expect(coordDistance({ ...base, Adjustment: -10 }, origin)).to.equal(6);
    expect(DEFAULT_VIVALDI_CONFIG.dimensionality).to.equal(8);
  });
});
