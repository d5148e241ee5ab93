import { expect } from 'chai';
import { TestEncryption } from '../sim/test-encryption.js';
import { SerfSimCluster } from '../sim/serf-sim-cluster.js';

describe('serf with gossip encryption (simulation)', () => {
  it('members sharing a key converge; a member with the wrong key cannot join and its packets are dropped', async () => {
    const key = TestEncryption.newKey();
    const c = new SerfSimCluster(31);
    const rings = [0, 1, 2].map(() => new TestEncryption(key));
    const good = rings.map((r) => c.add({ encryption: r }));
    for (const m of good.slice(1)) await c.scheduler.settle(m.serf.join([good[0]!.key]));
    expect(await c.scheduler.runUntilTrue(() => c.converged(good), 10_000)).to.equal(true);

    const intruder = c.add({ encryption: new TestEncryption(TestEncryption.newKey()) });
    let err: unknown;
    await c.scheduler.settle(intruder.serf.join([good[0]!.key])).catch((e: unknown) => (err = e));
    expect((err as { code?: string }).code).to.equal('GOSSIP_JOIN_FAILED');
    await c.scheduler.runFor(10_000);
    for (const m of good) expect(m.serf.members().map((x) => x.name)).to.not.include(intruder.name);
    expect(intruder.serf.members().map((x) => x.name)).to.deep.equal([intruder.name]);
    expect(rings[0]!.dropped).to.be.greaterThan(0);

    const plain = c.add();
    await c.scheduler.settle(plain.serf.join([good[0]!.key])).catch((e: unknown) => (err = e));
    expect((err as { code?: string }).code).to.equal('GOSSIP_JOIN_FAILED');
    await c.shutdown();
  });

  it('a key rotation keeps the pool together', async () => {
    const k1 = TestEncryption.newKey();
    const k2 = TestEncryption.newKey();
    const c = new SerfSimCluster(32);
    const rings = [0, 1, 2, 3].map(() => new TestEncryption(k1));
    const ms = rings.map((r) => c.add({ encryption: r }));
    for (const m of ms.slice(1)) await c.scheduler.settle(m.serf.join([ms[0]!.key]));
    await c.scheduler.runUntilTrue(() => c.converged(), 10_000);
    for (const r of rings) await r.installKey(k2);
    // Switch primaries one by one: members still on k1 can open k2 packets and vice versa.
    for (const r of rings) {
      await r.useKey(k2);
      await c.scheduler.runFor(3_000);
    }
    for (const r of rings) await r.removeKey(k1);
    await c.scheduler.runFor(30_000);
    expect(c.converged()).to.equal(true);
    for (const m of c.members) expect(m.events.filter((e) => e.type === 'member-failed')).to.deep.equal([]);
    await c.shutdown();
  });
});
