import { expect } from 'chai';
import { startTestCluster, type TestCluster } from '@proconsul/testing';
import { consulFromAddr, FeatureFlags, ServiceDirectory } from './index.js';

/**
 * The app's Consul code against a real 3-server cluster started in this process: the
 * instance registers through one server's agent and is found through another's, as in
 * production where callers and callees talk to different agents.
 */
describe('testing-consul-app against an in-process 3-server cluster', () => {
  let cluster: TestCluster;

  before(async () => {
    cluster = await startTestCluster({ servers: 3 });
  });

  after(() => cluster.stop());

  it('finds an announced instance only once it heartbeats, and loses it when it fails', async () => {
    const own = new ServiceDirectory(consulFromAddr(cluster.servers[0]!.httpAddr));
    const other = new ServiceDirectory(consulFromAddr(cluster.servers[2]!.httpAddr));
    await own.announce('payments', 'payments-1', '10.0.0.7', 9090);
    // Registered and visible everywhere, but not healthy: a TTL check starts critical.
    const catalog = consulFromAddr(cluster.servers[2]!.httpAddr).catalog.service;
    await eventually(async () => expect(await catalog.nodes('payments')).to.have.length(1));
    expect(await other.healthy('payments')).to.deep.equal([]);
    await own.heartbeat('payments-1');
    await eventually(async () => expect(await other.healthy('payments')).to.deep.equal([{ address: '10.0.0.7', port: 9090 }]));
    await own.markUnhealthy('payments-1', 'db unreachable');
    await eventually(async () => expect(await other.healthy('payments')).to.deep.equal([]));
  });

  it('reads feature flags written through another server', async () => {
    const writer = new FeatureFlags(consulFromAddr(cluster.servers[1]!.httpAddr));
    const reader = new FeatureFlags(consulFromAddr(cluster.servers[0]!.httpAddr));
    expect(await reader.isEnabled('new-checkout')).to.equal(false);
    await writer.set('new-checkout', true);
    expect(await reader.isEnabled('new-checkout')).to.equal(true); // default-consistency reads go to the leader
    await writer.set('new-checkout', false);
    expect(await reader.isEnabled('new-checkout')).to.equal(false);
  });

  it('survives the loss of one server: the other two keep serving the app', async () => {
    const leader = await cluster.leader();
    const survivor = cluster.servers.find((s) => s !== leader)!;
    await leader.stop();
    const flags = new FeatureFlags(consulFromAddr(survivor.httpAddr));
    // A new leader is elected among the remaining two; writes are held until then.
    await eventually(() => flags.set('after-failover', true), 10_000);
    expect(await flags.isEnabled('after-failover')).to.equal(true);
  });
});

/** Retry `fn` until it stops throwing: the catalog is updated by the agent's sync, asynchronously. */
async function eventually<T>(fn: () => Promise<T>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
