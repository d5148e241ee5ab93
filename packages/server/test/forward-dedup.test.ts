import { expect } from 'chai';
import {
  NullLogger,
  ProconsulError,
  type Consensus,
  type RpcHandler,
  type ServerAddress,
  type ServerRpc,
} from '@proconsul/kernel';
import { buildRuntimeConfig } from '@proconsul/config';
import { StateFsm, StateStore } from '@proconsul/state';
import { ClusterRpc, ServerLocator } from '@proconsul/server';
import { DirectConsensus } from '@proconsul/kernel/testing';

const OLD: ServerAddress = { id: 'old', node: 'old', address: '127.0.23.10:8300' };
const NEW: ServerAddress = { id: 'new', node: 'new', address: '127.0.23.11:8300' };
const READ = { minIndex: 0, maxWaitMs: 0, allowStale: false, requireConsistent: false, maxStaleMs: 0 };
const config = { ...buildRuntimeConfig({ dev: true, sources: [], warn: () => {} }), rpcHoldTimeoutMs: 3000 };

/** A leader: a ClusterRpc over its own state, as its server-port handler sees calls. */
function leaderOver(fsm: StateFsm): ClusterRpc {
  return new ClusterRpc(config, fsm.store, new ServerLocator(config), new NullLogger(), new DirectConsensus(fsm));
}

/**
 * The leader applies the forwarded write and is killed before its reply leaves; a new leader,
 * holding the same log (here: restored from the old one's snapshot), takes over.
 */
class LeaderDiesAfterApplying implements ServerRpc {
  readonly rids: unknown[] = [];
  constructor(
    private readonly view: { leader: ServerAddress },
    private readonly oldFsm: StateFsm,
    private readonly newLeader: { rpc?: ClusterRpc },
  ) {}
  setHandler(_h: RpcHandler): void {}
  async call(address: string, method: string, body: unknown): Promise<unknown> {
    this.rids.push((body as { rid?: unknown }).rid);
    if (address === OLD.address) {
      await leaderOver(this.oldFsm).handle(method, body);
      const newFsm = new StateFsm(new StateStore());
      const snap = this.oldFsm.snapshot();
      await newFsm.restore(snap.chunks());
      snap.release();
      this.newLeader.rpc = leaderOver(newFsm);
      this.view.leader = NEW;
      throw new ProconsulError('RPC_CONNECT_FAILED', `cannot reach ${address}: connection closed`);
    }
    return this.newLeader.rpc!.handle(method, body);
  }
}

function followerWith(rpc: ServerRpc, view: { leader: ServerAddress }): ClusterRpc {
  const direct = new DirectConsensus(new StateFsm(new StateStore()));
  const consensus = Object.assign(Object.create(direct) as Consensus, { isLeader: () => false, leader: () => view.leader });
  return new ClusterRpc(config, new StateStore(), new ServerLocator(config), new NullLogger(), consensus, rpc);
}

describe('a forwarded write in flight when the leader dies is resent and applied once', function () {
  this.timeout(10_000);

  it('a create-only KV write (cas=0) reports success, not "already exists", and is written once', async () => {
    const view = { leader: OLD };
    const oldFsm = new StateFsm(new StateStore());
    const newLeader: { rpc?: ClusterRpc } = {};
    const rpc = new LeaderDiesAfterApplying(view, oldFsm, newLeader);
    const follower = followerWith(rpc, view);
    const reply = await follower.write(
      { v: 1, type: 'kv-cas', Key: 'lock/leader', Value: Buffer.from('me'), Index: 0 },
      { token: undefined },
    );
    expect(reply.value).to.equal(true);
    const stored = (
      await newLeader.rpc!.read<{ CreateIndex: number; ModifyIndex: number } | undefined>(
        'KVS.Get',
        { key: 'lock/leader' },
        READ,
        { token: undefined },
      )
    ).value;
    expect(stored?.ModifyIndex).to.equal(stored?.CreateIndex);
    expect(rpc.rids).to.have.length(2);
    expect(rpc.rids[1]).to.equal(rpc.rids[0]);
  });

  it('a session created through the hold exists once, and the caller gets its ID', async () => {
    const view = { leader: OLD };
    const oldFsm = new StateFsm(new StateStore());
    oldFsm.store.apply(1, { v: 1, type: 'register', Node: 'n1', Address: '10.0.0.1', now: 0 });
    const newLeader: { rpc?: ClusterRpc } = {};
    const follower = followerWith(new LeaderDiesAfterApplying(view, oldFsm, newLeader), view);
    const reply = await follower.write(
      { v: 1, type: 'session-create', Session: { ID: '', Node: 'n1', Checks: [] }, now: 0 },
      { token: undefined },
    );
    const sessions = (await newLeader.rpc!.read<{ ID: string }[]>('Session.List', {}, READ, { token: undefined })).value;
    expect(sessions.map((s) => s.ID)).to.deep.equal([reply.value]);
  });

  it('a caller cannot send a request-wrapped command itself: only the leader wraps', async () => {
    const leader = leaderOver(new StateFsm(new StateStore()));
    const forged = {
      command: { v: 1, type: 'request', ID: 'r', now: 0, Command: { v: 1, type: 'kv-set', Key: 'k', Value: null } },
    };
    const err = (await leader.handle('Write', forged).catch((e: unknown) => e)) as ProconsulError;
    expect(err.code).to.equal('PERMISSION_DENIED');
  });
});
