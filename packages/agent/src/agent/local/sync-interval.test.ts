import { expect } from 'chai';
import { fullSyncDelay, scaleFactor } from './sync-interval.js';

describe('anti-entropy interval scaling', () => {
  it('is 1 up to 128 nodes, then grows by one per doubling', () => {
    expect([1, 64, 128].map(scaleFactor)).to.deep.equal([1, 1, 1]);
    expect([129, 256, 257, 512, 1024, 8192].map(scaleFactor)).to.deep.equal([2, 2, 3, 3, 4, 7]);
  });

  it('waits the interval plus a stagger of up to the scaled interval', () => {
    expect(fullSyncDelay(60_000, 10, () => 0)).to.equal(60_000);
    expect(fullSyncDelay(60_000, 10, () => 0.5)).to.equal(90_000);
    expect(fullSyncDelay(60_000, 1000, () => 0.5)).to.equal(60_000 + 0.5 * 60_000 * 4);
  });
});
