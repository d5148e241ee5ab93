import { expect } from 'chai';
import { TestEncryption } from '../sim/test-encryption.js';
import { SerfSimCluster, type AddOptions, type SerfSimMember } from '../sim/serf-sim-cluster.js';

/** Stop member i (no leave, as a process restart) and start it again at once with new options. */
async function restart(c: SerfSimCluster, i: number, o: AddOptions): Promise<SerfSimMember> {
  const old = c.members[i]!;
  await old.serf.shutdown();
  const m = c.add({ ...o, name: old.name, addr: old.key.split(':')[0] });
  c.members.pop();
  c.members[i] = m;
  await c.scheduler.settle(m.serf.join([c.members[(i + 1) % c.members.length]!.key]));
  return m;
}

/** Run `ms` of simulated time, failing if any member sees any other as failed meanwhile. */
async function runWithoutFailures(c: SerfSimCluster, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 250) {
    await c.scheduler.runFor(250);
    for (const m of c.members)
      for (const x of m.serf.members()) expect(x.status, `${m.name} sees ${x.name} at +${t}ms`).to.not.equal('failed');
  }
}

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

  it('rolls encryption onto a plaintext pool (verify_incoming/outgoing off, then on) without a member failing', async () => {
    const key = TestEncryption.newKey();
    const c = new SerfSimCluster(33);
    await c.addAndJoin(4);
    expect(await c.scheduler.runUntilTrue(() => c.converged(), 10_000)).to.equal(true);
    const rings: TestEncryption[] = [];
    // Consul's three rolling restarts: key with both checks off; then seal outgoing; then verify incoming.
    const steps: AddOptions[] = [
      { verifyIncoming: false, verifyOutgoing: false },
      { verifyIncoming: false, verifyOutgoing: true },
      { verifyIncoming: true, verifyOutgoing: true },
    ];
    for (const step of steps)
      for (let i = 0; i < c.members.length; i++) {
        rings[i] = new TestEncryption(key);
        await restart(c, i, { ...step, encryption: rings[i] });
        await runWithoutFailures(c, 5_000);
        expect(c.converged(), `converged after restarting ${c.members[i]!.name}`).to.equal(true);
      }
    // Now enforced: a plaintext member cannot join, and members sealed everything they sent.
    const before = rings.map((r) => r.dropped);
    const plain = c.add();
    let err: unknown;
    await c.scheduler.settle(plain.serf.join([c.members[0]!.key])).catch((e: unknown) => (err = e));
    expect((err as { code?: string }).code).to.equal('GOSSIP_JOIN_FAILED');
    expect(rings.some((r, i) => r.dropped > before[i]!)).to.equal(true);
    await c.shutdown();
  });

  it('without the rollout flags, keying one member of a plaintext pool splits it off', async () => {
    const c = new SerfSimCluster(34);
    await c.addAndJoin(3);
    expect(await c.scheduler.runUntilTrue(() => c.converged(), 10_000)).to.equal(true);
    const err = await restart(c, 0, { encryption: new TestEncryption(TestEncryption.newKey()) }).catch((e: unknown) => e);
    expect((err as { code?: string }).code).to.equal('GOSSIP_JOIN_FAILED');
    await c.scheduler.runFor(60_000);
    expect(c.statusOf(c.members[1]!, c.members[0]!.name)).to.equal('failed');
    await c.shutdown();
  });

  it('with verify_outgoing off a keyed member sends plaintext that a keyless member reads', async () => {
    const c = new SerfSimCluster(35);
    const plain = c.add();
    const keyed = c.add({
      encryption: new TestEncryption(TestEncryption.newKey()),
      verifyIncoming: false,
      verifyOutgoing: false,
    });
    await c.scheduler.settle(keyed.serf.join([plain.key]));
    expect(await c.scheduler.runUntilTrue(() => c.converged(), 10_000)).to.equal(true);
    await c.scheduler.runFor(30_000);
    expect(c.converged()).to.equal(true);
    await c.shutdown();
  });
});
