import { expect } from 'chai';
import { isCoded } from '@proconsul/kernel';
import { DefaultConfig, scaleByMultiplier, validateConfig } from './raft-config.js';

describe('raft config', () => {
  it('multiplier 1 gives 1000/1000/500 and multiplier 5 gives 5000/5000/2500 (Consul)', () => {
    const one = scaleByMultiplier(DefaultConfig(), 1);
    expect([one.heartbeatTimeoutMs, one.electionTimeoutMs, one.leaderLeaseTimeoutMs]).to.deep.equal([1000, 1000, 500]);
    const five = scaleByMultiplier(DefaultConfig(), 5);
    expect([five.heartbeatTimeoutMs, five.electionTimeoutMs, five.leaderLeaseTimeoutMs]).to.deep.equal([5000, 5000, 2500]);
    expect(validateConfig(five)).to.equal(five);
  });
  it('rejects a multiplier out of range and an unsafe lease', () => {
    expect(() => scaleByMultiplier(DefaultConfig(), 0)).to.throw(/raft_multiplier/);
    try {
      validateConfig({ ...DefaultConfig(), leaderLeaseTimeoutMs: 2000 });
      expect.fail('should throw');
    } catch (e) {
      expect(isCoded(e, 'RAFT_CONFIG_INVALID')).to.equal(true);
    }
  });
  it('defaults match Consul snapshot settings', () => {
    const c = DefaultConfig();
    expect(c.snapshotThreshold).to.equal(16384);
    expect(c.trailingLogs).to.equal(10240);
  });
});
