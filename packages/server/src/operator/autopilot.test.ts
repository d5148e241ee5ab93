import { expect } from 'chai';
import {
  NullLogger,
  type Consensus,
  type Member,
  type Membership,
  type MemberStatus,
  type RaftServer,
  type ServerAddress,
  type ServerRpc,
} from '@proconsul/kernel';
import { VirtualClock } from '@proconsul/kernel/testing';
import { Autopilot, SERVER_STATS_RPC } from './autopilot.js';
import { DEFAULT_AUTOPILOT_CONFIG } from './autopilot-config.js';
import type { AutopilotConfigStore } from './autopilot-config-store.js';

/** A raft configuration the test edits, led by 'a'. */
class FakeConsensus {
  servers: RaftServer[] = [];
  readonly calls: string[] = [];
  isLeader = () => true;
  leader = (): ServerAddress => ({ id: 'a', node: 'a', address: 'a:8300' });
  configuration = () => this.servers;
  lastContactMs = () => 0;
  appliedIndex = () => 50;
  stats = () => ({ last_log_index: '50', last_log_term: '2' });
  onLeadershipChange = () => () => {};
  async addServer(s: ServerAddress, suffrage: 'voter' | 'nonvoter') {
    this.calls.push(`add ${s.id} ${suffrage}`);
    this.servers = this.servers.map((x) => (x.id === s.id ? { ...x, suffrage } : x));
  }
  async removeServer(id: string) {
    this.calls.push(`remove ${id}`);
    this.servers = this.servers.filter((x) => x.id !== id);
  }
}

const member = (name: string, status: MemberStatus): Member => ({
  name,
  addr: '127.0.0.1',
  port: 8301,
  tags: { role: 'consul', id: name, port: '8300', dc: 'dc1' },
  status,
  protocolMin: 1,
  protocolMax: 5,
  protocolCur: 2,
  delegateMin: 2,
  delegateMax: 5,
  delegateCur: 4,
});

describe('Autopilot (leader loop over fakes)', () => {
  let consensus: FakeConsensus;
  let members: Member[];
  let clock: VirtualClock;
  let autopilot: Autopilot;
  const answering = new Set<string>();

  beforeEach(() => {
    consensus = new FakeConsensus();
    clock = new VirtualClock();
    members = [];
    answering.clear();
    const rpc: ServerRpc = {
      setHandler: () => {},
      async call(address, method, body) {
        expect(method).to.equal('Call');
        expect((body as { name: string }).name).to.equal(SERVER_STATS_RPC);
        if (!answering.has(address)) throw new Error('unreachable');
        return { lastContactMs: 20, lastTerm: 2, lastIndex: 48 };
      },
    };
    const membership = { members: () => members } as unknown as Membership;
    const store = {
      getOrCreate: async () => ({ ...DEFAULT_AUTOPILOT_CONFIG, CreateIndex: 1, ModifyIndex: 1 }),
    } as unknown as AutopilotConfigStore;
    autopilot = new Autopilot(
      {
        consensus: consensus as unknown as Consensus,
        membership: () => membership,
        serverRpc: rpc,
        configStore: store,
        datacenter: 'dc1',
        log: new NullLogger(),
      },
      { clock },
    );
  });

  it('promotes a healthy non-voter only after ServerStabilizationTime', async () => {
    consensus.servers = [
      { id: 'a', node: 'a', address: 'a:8300', suffrage: 'voter' },
      { id: 'b', node: 'b', address: 'b:8300', suffrage: 'nonvoter' },
    ];
    members = [member('a', 'alive'), member('b', 'alive')];
    answering.add('b:8300');
    await autopilot.runOnce();
    const h = await autopilot.health();
    expect(h.Servers.map((s) => [s.ID, s.Healthy, s.Voter, s.Leader])).to.deep.equal([
      ['a', true, true, true],
      ['b', true, false, false],
    ]);
    expect(consensus.calls).to.deep.equal([]);
    await clock.advance(9_000);
    await autopilot.runOnce();
    expect(consensus.calls).to.deep.equal([]);
    await clock.advance(1_000);
    await autopilot.runOnce();
    expect(consensus.calls).to.deep.equal(['add b voter']);
    expect(consensus.servers.every((s) => s.suffrage === 'voter')).to.equal(true);
  });

  it('restarts the stabilization clock when a non-voter stops answering', async () => {
    consensus.servers = [
      { id: 'a', node: 'a', address: 'a:8300', suffrage: 'voter' },
      { id: 'b', node: 'b', address: 'b:8300', suffrage: 'nonvoter' },
    ];
    members = [member('a', 'alive'), member('b', 'alive')];
    answering.add('b:8300');
    await autopilot.runOnce();
    await clock.advance(8_000);
    answering.delete('b:8300');
    await autopilot.runOnce();
    expect((await autopilot.health()).Healthy).to.equal(false);
    answering.add('b:8300');
    await clock.advance(2_000);
    await autopilot.runOnce();
    await clock.advance(9_000);
    await autopilot.runOnce();
    expect(consensus.calls).to.deep.equal([]);
    await clock.advance(1_000);
    await autopilot.runOnce();
    expect(consensus.calls).to.deep.equal(['add b voter']);
  });

  it('removes a failed voter and reports the failure tolerance', async () => {
    consensus.servers = ['a', 'b', 'c'].map((id) => ({ id, node: id, address: `${id}:8300`, suffrage: 'voter' as const }));
    members = [member('a', 'alive'), member('b', 'alive'), member('c', 'failed')];
    answering.add('b:8300');
    await autopilot.runOnce();
    expect(consensus.calls).to.deep.equal(['remove c']);
    const h = await autopilot.health();
    expect(h.Healthy).to.equal(false); // computed before the removal: c was still a voter
    expect(h.FailureTolerance).to.equal(0);
    await autopilot.runOnce();
    const after = await autopilot.health();
    expect(after.Healthy).to.equal(true);
    expect(after.Servers.map((s) => s.ID)).to.deep.equal(['a', 'b']);
  });
});
