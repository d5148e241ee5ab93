import { expect } from 'chai';
import type { MemberStatus, RaftServer } from '@proconsul/kernel';
import { DEFAULT_AUTOPILOT_CONFIG } from './autopilot-config.js';
import { planDeadServerRemovals, planPromotions } from './autopilot-decisions.js';
import type { ServerHealth } from './autopilot-health.js';

const srv = (id: string, suffrage: 'voter' | 'nonvoter' = 'voter'): RaftServer => ({
  id,
  node: id,
  address: `127.0.0.1:${id}`,
  suffrage,
});
const known = (entries: [string, MemberStatus][]) => new Map(entries);

describe('autopilot dead server cleanup', () => {
  it('removes a failed voter of three, never the leader', () => {
    const raft = [srv('a'), srv('b'), srv('c')];
    const out = planDeadServerRemovals({
      raft,
      known: known([
        ['a', 'alive'],
        ['b', 'alive'],
        ['c', 'failed'],
      ]),
      leaderId: 'a',
      config: DEFAULT_AUTOPILOT_CONFIG,
    });
    expect(out).to.deep.equal(['c']);
  });

  it('keeps a majority: of five voters with three failed, only two go', () => {
    const raft = ['a', 'b', 'c', 'd', 'e'].map((id) => srv(id));
    const out = planDeadServerRemovals({
      raft,
      known: known([
        ['a', 'alive'],
        ['b', 'alive'],
        ['c', 'failed'],
        ['d', 'left'],
        ['e', 'failed'],
      ]),
      leaderId: 'a',
      config: DEFAULT_AUTOPILOT_CONFIG,
    });
    expect(out).to.deep.equal(['c', 'd']);
  });

  it('removes nothing from two voters, and respects MinQuorum', () => {
    const two = planDeadServerRemovals({
      raft: [srv('a'), srv('b')],
      known: known([
        ['a', 'alive'],
        ['b', 'failed'],
      ]),
      leaderId: 'a',
      config: DEFAULT_AUTOPILOT_CONFIG,
    });
    expect(two).to.deep.equal([]);
    const min = planDeadServerRemovals({
      raft: [srv('a'), srv('b'), srv('c')],
      known: known([
        ['a', 'alive'],
        ['b', 'alive'],
        ['c', 'failed'],
      ]),
      leaderId: 'a',
      config: { ...DEFAULT_AUTOPILOT_CONFIG, MinQuorum: 3 },
    });
    expect(min).to.deep.equal([]);
  });

  it('removes stale (unknown to gossip) servers first and non-voters without limit', () => {
    const raft = [srv('a'), srv('b'), srv('c'), srv('n1', 'nonvoter'), srv('n2', 'nonvoter'), srv('s')];
    const out = planDeadServerRemovals({
      raft,
      known: known([
        ['a', 'alive'],
        ['b', 'alive'],
        ['c', 'failed'],
        ['n1', 'failed'],
      ]),
      leaderId: 'a',
      config: DEFAULT_AUTOPILOT_CONFIG,
    });
    // n2 stale non-voter, s stale voter, n1 failed non-voter, c failed voter (4 voters: at most 1 per batch).
    expect(out).to.deep.equal(['n2', 's', 'n1', 'c']);
  });

  it('does nothing when CleanupDeadServers is off', () => {
    const out = planDeadServerRemovals({
      raft: [srv('a'), srv('b'), srv('c')],
      known: known([
        ['a', 'alive'],
        ['b', 'alive'],
        ['c', 'failed'],
      ]),
      leaderId: 'a',
      config: { ...DEFAULT_AUTOPILOT_CONFIG, CleanupDeadServers: false },
    });
    expect(out).to.deep.equal([]);
  });
});

describe('autopilot promotion', () => {
  const health = (id: string, voter: boolean, healthy: boolean, stableSince: number): ServerHealth => ({
    ID: id,
    Name: id,
    Address: '',
    SerfStatus: 'alive',
    Version: '',
    Leader: false,
    LastContactMs: 0,
    LastTerm: 1,
    LastIndex: 1,
    Healthy: healthy,
    Voter: voter,
    StableSince: stableSince,
  });

  it('promotes non-voters healthy for at least ServerStabilizationTime, only those', () => {
    const now = 100_000;
    const servers = [
      health('v', true, true, 0),
      health('ready', false, true, now - 10_000),
      health('young', false, true, now - 9_999),
      health('sick', false, false, 0),
    ];
    expect(planPromotions(servers, DEFAULT_AUTOPILOT_CONFIG, now)).to.deep.equal(['ready']);
    expect(planPromotions(servers, DEFAULT_AUTOPILOT_CONFIG, now + 1)).to.deep.equal(['ready', 'young']);
    expect(planPromotions(servers, DEFAULT_AUTOPILOT_CONFIG, now + 1, (id) => id !== 'young')).to.deep.equal(['ready']);
  });
});
