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

  it("applies Consul's raft_snapshot_* and raft_trailing_logs agent keys over the plugin's settings", () => {
    const plugin = { snapshot_threshold: 100, snapshot_interval: '5s', trailing_logs: 50 };
    const c = buildRaftConfig(plugin, 5, { threshold: 4096, intervalMs: 120_000, trailingLogs: 500 });
    expect([c.snapshotThreshold, c.snapshotIntervalMs, c.trailingLogs]).to.deep.equal([4096, 120_000, 500]);
    const only = buildRaftConfig(plugin, 5, {});
    expect([only.snapshotThreshold, only.snapshotIntervalMs, only.trailingLogs]).to.deep.equal([100, 5000, 50]);
  });

  it('bounds the in-memory log by bytes by default, and takes snapshot_log_bytes / trailing_log_bytes from plugins.json', () => {
    const d = buildRaftConfig({}, 5);
    expect([d.snapshotLogBytes, d.trailingLogBytes]).to.deep.equal([64 * 1024 * 1024, 16 * 1024 * 1024]);
    const c = buildRaftConfig({ snapshot_log_bytes: 1_000_000, trailing_log_bytes: 0 }, 5);
    expect([c.snapshotLogBytes, c.trailingLogBytes]).to.deep.equal([1_000_000, 0]);
    expect(() => buildRaftConfig({ snapshot_log_bytes: 0 }, 5)).to.throw(/snapshotLogBytes/);
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
