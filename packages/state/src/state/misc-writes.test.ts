import { expect } from 'chai';
import { StoreHarness } from './state-test-fixtures.js';

describe('coordinates and system metadata', () => {
  it('stores coordinates of known nodes only and drops them with the node', () => {
    const h = new StoreHarness();
    h.register('n1'); // 1
    const coord = { Vec: [1, 2], Error: 0.1, Adjustment: 0, Height: 0.01 };
    h.run({
      v: 1,
      type: 'coordinate-batch',
      Updates: [
        { Node: 'n1', Segment: '', Coord: coord },
        { Node: 'ghost', Segment: '', Coord: coord },
      ],
    });
    expect(h.store.coordinates.nodes().value.map((c) => c.Node)).to.deep.equal(['n1']);
    expect(h.store.coordinates.node('n1').index).to.equal(2);
    h.run({ v: 1, type: 'deregister', Node: 'n1', now: 0 });
    expect(h.store.coordinates.nodes().value).to.have.length(0);
    expect(h.store.coordinates.nodes().index).to.equal(3);
  });

  it('sets and deletes system metadata', () => {
    const h = new StoreHarness();
    h.run({ v: 1, type: 'system-meta-set', Key: 'autopilot', Value: { CleanupDeadServers: true } });
    expect(h.store.system.get('autopilot').value).to.deep.equal({ CleanupDeadServers: true });
    h.run({ v: 1, type: 'system-meta-set', Key: 'autopilot', Value: null });
    expect(h.store.system.get('autopilot')).to.deep.equal({ index: 2, value: null });
  });
});
