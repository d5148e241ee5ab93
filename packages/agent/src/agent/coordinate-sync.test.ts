import { expect } from 'chai';
import { NullLogger, type Coord } from '@proconsul/kernel';
import { CoordinateSync, coordinateSyncInterval, COORDINATE_UPDATE_RPC } from './coordinate-sync.js';

describe('CoordinateSync', () => {
  it('scales the interval so the cluster sends about rate updates per second, never below the minimum', () => {
    expect(coordinateSyncInterval(64, 15_000, 3)).to.equal(15_000);
    expect(coordinateSyncInterval(64, 15_000, 6400)).to.equal(100_000);
    expect(coordinateSyncInterval(0, 15_000, 6400)).to.equal(15_000);
  });

  it('sends the node’s LAN coordinate with the agent token, and nothing before it has one', async () => {
    const calls: { name: string; args: unknown; caller: unknown }[] = [];
    const held: { coord?: Coord } = {};
    const sync = new CoordinateSync({
      rpc: { serverCall: async (name, args, caller) => (calls.push({ name, args, caller }), true) },
      node: 'web-1',
      coordinate: () => held.coord,
      clusterSize: () => 1,
      token: () => 'agent-secret',
      log: new NullLogger(),
      rateTarget: 64,
      intervalMinMs: 15_000,
    });
    expect(await sync.sendOnce()).to.equal(false);
    const current: Coord = { Vec: [0.001], Error: 0.4, Adjustment: 0, Height: 1e-5 };
    held.coord = current;
    expect(await sync.sendOnce()).to.equal(true);
    expect(calls).to.deep.equal([
      { name: COORDINATE_UPDATE_RPC, args: { Node: 'web-1', Segment: '', Coord: current }, caller: { token: 'agent-secret' } },
    ]);
  });
});
