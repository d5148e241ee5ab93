import { expect } from 'chai';
import { DEFAULT_AUTOPILOT_CONFIG } from './autopilot-config.js';
import { HealthTracker, failureTolerance, isServerHealthy, type ServerObservation } from './autopilot-health.js';

const obs = (id: string, o: Partial<ServerObservation> = {}): ServerObservation => ({
  id,
  name: id,
  address: `${id}:8300`,
  voter: true,
  leader: false,
  serfStatus: 'alive',
  version: '1.17.0',
  stats: { lastContactMs: 10, lastTerm: 3, lastIndex: 1000 },
  ...o,
});
const leaderStats = { lastContactMs: 0, lastTerm: 3, lastIndex: 1000 };

describe('autopilot server health', () => {
  it('applies Consul’s rule: gossip alive, recent contact, same term, not too far behind', () => {
    const c = DEFAULT_AUTOPILOT_CONFIG;
    expect(isServerHealthy(obs('a'), leaderStats, c)).to.equal(true);
    expect(isServerHealthy(obs('a', { serfStatus: 'failed' }), leaderStats, c)).to.equal(false);
    expect(isServerHealthy(obs('a', { stats: undefined }), leaderStats, c)).to.equal(false);
    expect(isServerHealthy(obs('a', { stats: { lastContactMs: 201, lastTerm: 3, lastIndex: 1000 } }), leaderStats, c)).to.equal(
      false,
    );
    expect(isServerHealthy(obs('a', { stats: { lastContactMs: -1, lastTerm: 3, lastIndex: 1000 } }), leaderStats, c)).to.equal(
      false,
    );
    expect(isServerHealthy(obs('a', { stats: { lastContactMs: 5, lastTerm: 2, lastIndex: 1000 } }), leaderStats, c)).to.equal(
      false,
    );
    expect(isServerHealthy(obs('a', { stats: { lastContactMs: 5, lastTerm: 3, lastIndex: 750 } }), leaderStats, c)).to.equal(
      true,
    );
    expect(isServerHealthy(obs('a', { stats: { lastContactMs: 5, lastTerm: 3, lastIndex: 749 } }), leaderStats, c)).to.equal(
      false,
    );
  });

  it('failure tolerance counts healthy voters beyond the quorum', () => {
    const s = (Voter: boolean, Healthy: boolean) => ({ Voter, Healthy });
    expect(failureTolerance([s(true, true), s(true, true), s(true, true)])).to.equal(1);
    expect(failureTolerance([s(true, true), s(true, true), s(true, false)])).to.equal(0);
    expect(
      failureTolerance([s(true, true), s(true, true), s(true, true), s(true, true), s(true, true), s(false, true)]),
    ).to.equal(2);
    expect(failureTolerance([s(true, true)])).to.equal(0);
  });

  it('remembers StableSince until health flips, and reports the cluster unhealthy when any server is', () => {
    const t = new HealthTracker();
    const c = DEFAULT_AUTOPILOT_CONFIG;
    const leader = obs('L', { leader: true, stats: leaderStats });
    let h = t.update([leader, obs('b')], c, 1000);
    expect(h.Healthy).to.equal(true);
    expect(h.Servers.map((s) => s.StableSince)).to.deep.equal([1000, 1000]);
    h = t.update([leader, obs('b')], c, 5000);
    expect(h.Servers[1]!.StableSince).to.equal(1000);
    h = t.update([leader, obs('b', { serfStatus: 'failed' })], c, 7000);
    expect(h.Healthy).to.equal(false);
    expect(h.Servers[1]).to.include({ Healthy: false, StableSince: 7000, SerfStatus: 'failed' });
    h = t.update([leader, obs('b')], c, 9000);
    expect(h.Servers[1]).to.include({ Healthy: true, StableSince: 9000 });
  });

  it('never takes the last-contact limit below two heartbeat intervals (idle followers at raft_multiplier 5)', () => {
    const c = DEFAULT_AUTOPILOT_CONFIG;
    const idle = obs('a', { stats: { lastContactMs: 480, lastTerm: 3, lastIndex: 1000 } });
    expect(isServerHealthy(idle, leaderStats, c)).to.equal(false);
    expect(isServerHealthy(idle, leaderStats, c, 500)).to.equal(true);
    const late = obs('a', { stats: { lastContactMs: 1001, lastTerm: 3, lastIndex: 1000 } });
    expect(isServerHealthy(late, leaderStats, c, 500)).to.equal(false);
    expect(
      isServerHealthy(obs('a', { stats: { lastContactMs: 201, lastTerm: 3, lastIndex: 1000 } }), leaderStats, c, 100),
    ).to.equal(false);
  });
});
