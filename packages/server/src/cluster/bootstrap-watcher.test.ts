import { expect } from 'chai';
import {
  NullLogger,
  type Consensus,
  type Member,
  type Membership,
  type MembershipListener,
  type ServerAddress,
  type ServerRpc,
} from '@proconsul/kernel';
import { buildRuntimeConfig } from '@proconsul/config';
import { BootstrapWatcher } from './bootstrap-watcher.js';

function server(i: number): Member {
  return {
    name: `s${i}`,
    addr: `10.0.0.${i}`,
    port: 8301,
    tags: { role: 'consul', dc: 'dc1', port: '8300', id: `id-${i}`, expect: '3' },
    status: 'alive',
    protocolMin: 1,
    protocolMax: 5,
    protocolCur: 2,
    delegateMin: 2,
    delegateMax: 5,
    delegateCur: 4,
  };
}

function harness(peersOf: (address: string) => Promise<string[]>) {
  const config = { ...buildRuntimeConfig({ dev: true, sources: [], warn: () => {} }), nodeName: 's1', bootstrapExpect: 3 };
  const bootstrapped: ServerAddress[][] = [];
  const asked: string[] = [];
  let members: Member[] = [server(1)];
  let listener: MembershipListener = () => {};
  const membership = {
    members: () => members,
    subscribe: (l: MembershipListener) => {
      listener = l;
      return () => {};
    },
  } as unknown as Membership;
  const consensus = {
    bootstrapWith: async (s: readonly ServerAddress[]) => {
      bootstrapped.push([...s]);
      return true;
    },
  } as unknown as Consensus;
  const rpc = {
    call: async (address: string, method: string, body: { name: string }) => {
      expect([method, body.name]).to.deep.equal(['Call', 'Status.Peers']);
      asked.push(address);
      return peersOf(address);
    },
  } as unknown as ServerRpc;
  const watcher = new BootstrapWatcher(config, consensus, membership, new NullLogger(), rpc);
  const join = async (n: number) => {
    members = [1, 2, 3].slice(0, n).map(server);
    listener({ type: 'member-join', pool: 'lan', members: [] });
    await new Promise((r) => setTimeout(r, 10));
  };
  return { watcher, bootstrapped, asked, join };
}

describe('BootstrapWatcher (bootstrap_expect)', () => {
  it('bootstraps once the expected servers are known and none of the others has raft peers', async () => {
    const h = harness(async () => []);
    const stop = h.watcher.start();
    await h.join(2);
    expect(h.bootstrapped).to.deep.equal([]);
    await h.join(3);
    expect(h.asked.sort()).to.deep.equal(['10.0.0.2:8300', '10.0.0.3:8300']);
    expect(h.bootstrapped.map((b) => b.map((s) => s.node))).to.deep.equal([['s1', 's2', 's3']]);
    stop();
  });

  it('never bootstraps when another server already has peers (a wiped server rejoining its cluster)', async () => {
    const h = harness(async (a) => (a === '10.0.0.3:8300' ? ['10.0.0.2:8300', '10.0.0.3:8300'] : []));
    const stop = h.watcher.start();
    await h.join(3);
    await h.join(3);
    expect(h.bootstrapped).to.deep.equal([]);
    stop();
  });

  it('waits and asks again when a server cannot be reached, rather than guessing', async () => {
    let down = true;
    const h = harness(async (a) => {
      if (down && a === '10.0.0.2:8300') throw new Error('connection refused');
      return [];
    });
    const stop = h.watcher.start();
    await h.join(3);
    expect(h.bootstrapped).to.deep.equal([]);
    down = false;
    await new Promise((r) => setTimeout(r, 1_200));
    expect(h.bootstrapped).to.have.length(1);
    stop();
  });
});
