import { expect } from 'chai';
import { isCoded } from '@proconsul/kernel';
import { buildRaftConfig } from './plugin-config.js';

describe('raft plugin config: timing overrides', () => {
  it('leaves raft_multiplier scaling alone when no override is given', () => {
    const c = buildRaftConfig({}, 5);
    expect([c.heartbeatTimeoutMs, c.electionTimeoutMs, c.leaderLeaseTimeoutMs, c.heartbeatIntervalMs]).to.deep.equal([
      5000, 5000, 2500, 500,
    ]);
  });

  it('applies heartbeat_timeout (heartbeats at a tenth of it), election_timeout and leader_lease_timeout after scaling', () => {
    const c = buildRaftConfig({ heartbeat_timeout: '200ms', election_timeout: '250ms', leader_lease_timeout: '100ms' }, 5);
    expect([c.heartbeatTimeoutMs, c.electionTimeoutMs, c.leaderLeaseTimeoutMs, c.heartbeatIntervalMs]).to.deep.equal([
      200, 250, 100, 20,
    ]);
  });

  it('refuses a lease longer than the heartbeat timeout, naming the field', () => {
    let err: unknown;
    try {
      buildRaftConfig({ heartbeat_timeout: '200ms', leader_lease_timeout: '1s' }, 1);
    } catch (e) {
      err = e;
    }
    expect(isCoded(err)).to.equal(true);
    expect((err as Error).message).to.contain('leaderLeaseTimeoutMs');
  });

  it('names the key of a malformed duration', () => {
    expect(() => buildRaftConfig({ election_timeout: 'soon' }, 1)).to.throw(/election_timeout/);
  });
});
