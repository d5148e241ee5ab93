import { expect } from 'chai';
import type { KeyringPoolResult } from '@proconsul/kernel';
import { TestEncryption } from '../sim/test-encryption.js';
import { agent, alive, runtimeConfig, until } from './test-agents.js';

describe('cluster-wide keyring over serf queries (real sockets, 127.0.0.0/8)', function () {
  this.timeout(60_000);

  it('install, use and remove reach every member; the old key is locked out', async () => {
    const k1 = TestEncryption.newKey();
    const k2 = TestEncryption.newKey();
    const rings = [0, 1, 2].map(() => new TestEncryption(k1));
    const agents: Awaited<ReturnType<typeof agent>>[] = [];
    for (const [i, r] of rings.entries()) agents.push(await agent(runtimeConfig(`r${i + 1}`, `127.0.0.${i + 1}`, 0), r));
    const lanPort = agents[0]!.m.localMember('lan').port;
    const late: Awaited<ReturnType<typeof agent>>[] = [];
    try {
      for (const a of agents.slice(1)) await a.m.join([`127.0.0.1:${lanPort}`], 'lan');
      expect(await until(() => agents.every((a) => alive(a.m).length === 3), 20_000)).to.equal(true);
      const op = agents[1]!.m.keyring!.bind(agents[1]!.m);

      const [installed] = await op('install', k2);
      expect(pick(installed!)).to.deep.equal({ numNodes: 3, numResp: 3, numErr: 0, messages: {} });
      for (const r of rings) expect(r.listKeys().keys).to.have.members([k1, k2]);
      const [listed] = await op('list');
      expect(listed!.keys).to.deep.equal({ [k1]: 3, [k2]: 3 });
      expect(listed!.primaryKeys).to.deep.equal({ [k1]: 3 });

      const [used] = await op('use', k2);
      expect(pick(used!)).to.deep.equal({ numNodes: 3, numResp: 3, numErr: 0, messages: {} });
      const [removed] = await op('remove', k1);
      expect(removed!.numErr).to.equal(0);
      for (const r of rings) expect(r.listKeys()).to.deep.equal({ primary: k2, keys: [k2] });
      // Bad input fails here, before anything is sent.
      let err: unknown;
      await op('remove', k2).catch((e: unknown) => (err = e));
      expect(String(err)).to.match(/primary/);

      const stale = await agent(runtimeConfig('r4', '127.0.0.4', 0), new TestEncryption(k1));
      late.push(stale);
      err = undefined;
      await stale.m.join([`127.0.0.1:${lanPort}`], 'lan').catch((e: unknown) => (err = e));
      expect((err as { code?: string }).code).to.equal('GOSSIP_JOIN_FAILED');
      const current = await agent(runtimeConfig('r5', '127.0.0.5', 0), new TestEncryption(k2));
      late.push(current);
      await current.m.join([`127.0.0.1:${lanPort}`], 'lan');
      // Generous: on a loaded 2-core machine the join's push-pull and the gossip that follows
      // can take seconds; the assertion names what each member saw when it fails.
      const converged = await until(() => agents.every((a) => alive(a.m).join() === 'r1,r2,r3,r5'), 20_000);
      expect(converged, agents.map((a) => alive(a.m).join()).join(' | ')).to.equal(true);
    } finally {
      for (const a of [...agents, ...late]) await a.life.stop!();
    }
  });

  it('a member that cannot comply shows as missing: its answer is sealed with the key being removed', async () => {
    const k1 = TestEncryption.newKey();
    const k2 = TestEncryption.newKey();
    const rings = [new TestEncryption(k1, k2), new TestEncryption(k2, k1)];
    const a = await agent(runtimeConfig('m1', '127.0.0.1', 0), rings[0]);
    const b = await agent(runtimeConfig('m2', '127.0.0.2', 0), rings[1]);
    try {
      await b.m.join([`127.0.0.1:${a.m.localMember('lan').port}`], 'lan');
      expect(await until(() => alive(a.m).length === 2, 5_000)).to.equal(true);
      // m2's primary is k2, so it refuses to remove it, and m1 (which already dropped k2)
      // cannot read its answer: 1 of 2 answered, which the endpoint reports as a failure.
      const [r] = await a.m.keyring!('remove', k2);
      expect(pick(r!)).to.deep.equal({ numNodes: 2, numResp: 1, numErr: 0, messages: {} });
      expect(rings[1]!.listKeys().keys).to.include(k2);
    } finally {
      for (const x of [a, b]) await x.life.stop!();
    }
  });

  it('a member whose keyring fails answers with the reason, which the asker tallies by name', async () => {
    const k = TestEncryption.newKey();
    const broken = new TestEncryption(k);
    broken.installKey = async () => {
      throw new Error('disk full');
    };
    const a = await agent(runtimeConfig('f1', '127.0.0.1', 0), new TestEncryption(k));
    const b = await agent(runtimeConfig('f2', '127.0.0.2', 0), broken);
    try {
      await b.m.join([`127.0.0.1:${a.m.localMember('lan').port}`], 'lan');
      expect(await until(() => alive(a.m).length === 2, 5_000)).to.equal(true);
      const [r] = await a.m.keyring!('install', TestEncryption.newKey());
      expect(pick(r!)).to.deep.equal({ numNodes: 2, numResp: 2, numErr: 1, messages: { f2: 'disk full' } });
    } finally {
      for (const x of [a, b]) await x.life.stop!();
    }
  });

  it('listeners never see the internal keyring queries', async () => {
    const k = TestEncryption.newKey();
    const a = await agent(runtimeConfig('q1', '127.0.0.1', 0), new TestEncryption(k));
    try {
      await a.m.keyring!('list');
      expect(a.events.filter((e) => e.type === 'query')).to.deep.equal([]);
    } finally {
      await a.life.stop!();
    }
  });
});

function pick(r: KeyringPoolResult) {
  return { numNodes: r.numNodes, numResp: r.numResp, numErr: r.numErr, messages: r.messages };
}
