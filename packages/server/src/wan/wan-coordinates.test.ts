import { expect } from 'chai';
import type { Coord, Member, Membership, RuntimeConfig } from '@proconsul/kernel';
import { datacenterMaps, medianRttMs } from './wan-coordinates.js';
import { WanRouter } from './wan-router.js';

const at = (x: number): Coord => ({ Vec: [x, 0], Error: 0.1, Adjustment: 0, Height: 0 });
const server = (name: string, dc: string, status: Member['status'] = 'alive'): Member => ({
  name: `${name}.${dc}`,
  addr: '10.0.0.1',
  port: 8302,
  tags: { role: 'consul', dc, port: '8300' },
  status,
  protocolMin: 1,
  protocolMax: 5,
  protocolCur: 2,
  delegateMin: 2,
  delegateMax: 5,
  delegateCur: 4,
});

/** Us (s1.dc1) at 0; dc2's servers at 30, 40 and 90 ms; dc3's at 10 ms but one failed at 1 ms. */
function pool(): Membership {
  const members = [
    server('s1', 'dc1'),
    server('a', 'dc2'),
    server('b', 'dc2'),
    server('c', 'dc2'),
    server('x', 'dc3'),
    server('dead', 'dc3', 'failed'),
    server('new', 'dc4'), // no coordinate yet
  ];
  const coords: Record<string, Coord> = {
    's1.dc1': at(0),
    'a.dc2': at(0.03),
    'b.dc2': at(0.04),
    'c.dc2': at(0.09),
    'x.dc3': at(0.01),
    'dead.dc3': at(0.001),
  };
  return {
    members: (p: string) => (p === 'wan' ? members : []),
    coordinate: (p: string) => (p === 'wan' ? at(0) : undefined),
    memberCoordinate: (p: string, n: string) => (p === 'wan' ? coords[n] : undefined),
    localMember: () => members[0],
  } as unknown as Membership;
}

describe('WAN coordinates', () => {
  it('median estimated RTT to a datacenter’s alive servers, undefined without coordinates', () => {
    expect(medianRttMs(pool(), 'dc2')).to.be.closeTo(40, 1e-9);
    expect(medianRttMs(pool(), 'DC3')).to.be.closeTo(10, 1e-9); // the failed server does not count
    expect(medianRttMs(pool(), 'dc4')).to.equal(undefined);
    expect(medianRttMs(undefined, 'dc2')).to.equal(undefined);
    expect(medianRttMs(pool(), 'dc1')).to.equal(0); // ourselves
  });

  it('orders /v1/catalog/datacenters nearest first, unknown distances last by name', () => {
    const m = pool();
    const r = new WanRouter({ datacenter: 'dc1', server: true } as RuntimeConfig, m);
    expect(r.datacenters()).to.deep.equal(['dc1', 'dc2', 'dc3', 'dc4']); // by name until distances plug in
    r.useDistance((dc) => medianRttMs(m, dc));
    expect(r.datacenters()).to.deep.equal(['dc1', 'dc3', 'dc2', 'dc4']);
  });

  it('lists each datacenter’s alive servers with a coordinate, by datacenter and node name', () => {
    const maps = datacenterMaps(pool());
    expect(maps.map((d) => [d.Datacenter, d.Coordinates.map((c) => c.Node)])).to.deep.equal([
      ['dc1', ['s1']],
      ['dc2', ['a', 'b', 'c']],
      ['dc3', ['x']],
    ]);
    expect(maps[1]!.AreaID).to.equal('wan');
  });
});
