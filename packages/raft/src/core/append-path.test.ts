import { expect } from 'chai';
import { NullLogger, type KeyValueStore } from '@proconsul/kernel';
import { RaftNode } from './raft-node.js';
import { RealClock } from './clock.js';
import type { AppendEntries, LogEntry, RaftMessage } from './messages.js';
import type { PeerAddress, RaftTransport } from './transport.js';
import { SimDisk, realTimeScheduler } from '../sim/sim-store.js';
import { SimFsm } from '../sim/sim-fsm.js';
import { Prng } from '../sim/prng.js';
import { SIM_RAFT_CONFIG } from '../sim/sim-cluster.js';

const CONFIG = {
  servers: [
    { id: 'n0', node: 'n0', address: 'n0:1', suffrage: 'voter' as const },
    { id: 'n1', node: 'n1', address: 'n1:1', suffrage: 'voter' as const },
    { id: 'n2', node: 'n2', address: 'n2:1', suffrage: 'voter' as const },
  ],
};

/** Records what the node sends; delivers nothing. */
class RecordingTransport implements RaftTransport {
  readonly sent: { to: string; m: RaftMessage }[] = [];
  send(to: PeerAddress, m: RaftMessage): void {
    this.sent.push({ to: to.id, m });
  }
  setReceiver(): void {}
  async close(): Promise<void> {}
}

const cmd = (index: number): LogEntry => ({ index, term: 1, kind: 'cmd', data: SimFsm.command(`k${index}`, 'v') });

async function follower(events: string[]): Promise<{ node: RaftNode; transport: RecordingTransport }> {
  const engine = new SimDisk(realTimeScheduler, new Prng(7), [0, 0]).engine();
  const log = await engine.open('raft-log');
  // The log's disk writes, noted when they start.
  const recordingLog: KeyValueStore = {
    get: (key) => log.get(key),
    iterate: (range) => log.iterate(range),
    snapshot: () => log.snapshot(),
    close: () => log.close(),
    write: (ops, options) => {
      events.push('write');
      return log.write(ops, options);
    },
  };
  const fsm = new SimFsm();
  const apply = fsm.apply.bind(fsm);
  fsm.apply = (index, command) => {
    events.push(`apply ${index}`);
    return apply(index, command);
  };
  const transport = new RecordingTransport();
  const node = await RaftNode.open({
    id: 'n1',
    config: SIM_RAFT_CONFIG,
    clock: new RealClock(),
    random: () => 0.5,
    transport,
    fsm,
    stores: { log: recordingLog, stable: await engine.open('raft-stable'), snapshots: await engine.open('raft-snapshots') },
    logger: new NullLogger(),
  });
  return { node, transport };
}

const append = (prev: number, entries: LogEntry[], leaderCommit: number, seq: number): AppendEntries => ({
  type: 'append',
  from: 'n0',
  term: 1,
  prevLogIndex: prev,
  prevLogTerm: prev === 0 ? 0 : 1,
  entries,
  leaderCommit,
  seq,
});

describe('a follower receiving entries and a commit in one AppendEntries', function () {
  this.timeout(10_000);

  it('starts writing the new entries before it applies the committed ones', async () => {
    const events: string[] = [];
    const { node, transport } = await follower(events);
    node.start();
    try {
      node.receive(append(0, [{ index: 1, term: 1, kind: 'conf', config: CONFIG }, cmd(2), cmd(3)], 0, 1));
      await node.durable();
      events.length = 0;
      // Entries 4-5 arrive with the news that 1-3 are committed: the disk write of 4-5 is
      // what the leader waits for, so it starts first; the applies follow in the same turn.
      node.receive(append(3, [cmd(4), cmd(5)], 3, 2));
      expect(events).to.deep.equal([]);
      await Promise.resolve();
      await node.durable();
      expect(events).to.deep.equal(['write', 'apply 2', 'apply 3']);
      expect(node.commitIndex).to.equal(3);
      expect(node.lastApplied).to.equal(3);
      const replies = transport.sent.map((s) => s.m).filter((m) => m.type === 'appendResp');
      expect(replies.map((m) => m.type === 'appendResp' && [m.seq, m.success, m.matchIndex])).to.deep.equal([
        [1, true, 3],
        [2, true, 5],
      ]);
    } finally {
      node.stop();
    }
  });

  it('applies a commit that brings no entries (a heartbeat) within the same turn', async () => {
    const events: string[] = [];
    const { node } = await follower(events);
    node.start();
    try {
      node.receive(append(0, [{ index: 1, term: 1, kind: 'conf', config: CONFIG }, cmd(2)], 0, 1));
      await node.durable();
      events.length = 0;
      node.receive(append(2, [], 2, 2));
      await Promise.resolve();
      expect(events).to.deep.equal(['apply 2']);
      expect(node.lastApplied).to.equal(2);
    } finally {
      node.stop();
    }
  });
});

describe('a leader replicating to followers at the same position', function () {
  this.timeout(10_000);

  it('hands them one frozen entries array, so the transport can encode it once', async () => {
    const { node, transport } = await follower([]);
    await node.bootstrap(CONFIG);
    node.start();
    const until = async (what: string, ok: () => boolean) => {
      const deadline = Date.now() + 5000;
      while (!ok()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    const voteRequest = (preVote: boolean) =>
      transport.sent.find((s) => s.m.type === 'vote' && s.m.preVote === preVote && s.to === 'n0')?.m;
    try {
      // Win the election with n0's (pre-)votes.
      await until('a pre-vote request', () => voteRequest(true) !== undefined);
      const pre = voteRequest(true)!;
      node.receive({ type: 'voteResp', from: 'n0', term: node.term, granted: true, preVote: true, requestTerm: pre.term });
      await until('a vote request', () => voteRequest(false) !== undefined);
      node.receive({ type: 'voteResp', from: 'n0', term: node.term, granted: true, preVote: false, requestTerm: node.term });
      await until('leadership', () => node.role === 'leader');
      transport.sent.length = 0;
      void node.apply(SimFsm.command('a', '1')).catch(() => {});
      void node.apply(SimFsm.command('b', '2')).catch(() => {});
      await until('appends to both followers', () => new Set(withEntries().map((s) => s.to)).size === 2);
      const [toN0, toN2] = ['n0', 'n2'].map((id) => withEntries().find((s) => s.to === id)!.m as AppendEntries);
      expect(toN0!.entries).to.equal(toN2!.entries);
      expect(Object.isFrozen(toN0!.entries)).to.equal(true);
      expect(toN0!.entries.at(-1)!.index).to.equal(node.log.lastIndex());
    } finally {
      node.stop();
    }

    function withEntries() {
      return transport.sent.filter((s) => s.m.type === 'append' && s.m.entries.length > 0);
    }
  });
});
