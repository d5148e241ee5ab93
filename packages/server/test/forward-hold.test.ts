import { expect } from 'chai';
import {
  NullLogger,
  ProconsulError,
  type Consensus,
  type QueryOptions,
  type RpcHandler,
  type ServerAddress,
  type ServerRpc,
} from '@proconsul/kernel';
import { buildRuntimeConfig } from '@proconsul/config';
import { StateFsm, StateStore } from '@proconsul/state';
import { ClusterRpc, ServerLocator } from '@proconsul/server';
import { DirectConsensus } from '@proconsul/kernel/testing';

const LEADER: ServerAddress = { id: 'l', node: 'leader', address: '127.0.15.9:8300' };
const KV_SET = { v: 1, type: 'kv-set', Key: 'k', Value: new Uint8Array([118]), Flags: 0 } as const;
const DEFAULT_READ: QueryOptions = { minIndex: 0, maxWaitMs: 0, allowStale: false, requireConsistent: false, maxStaleMs: 0 };

const refused = () =>
  Object.assign(
    new ProconsulError('RPC_CONNECT_FAILED', `cannot reach ${LEADER.address}: connect ECONNREFUSED ${LEADER.address}`),
    { requestNotSent: true },
  );
const brokeMidCall = () => new ProconsulError('RPC_CONNECT_FAILED', `cannot reach ${LEADER.address}: connection closed`);

/** A ServerRpc whose answer to each call the test decides. */
class ScriptedRpc implements ServerRpc {
  calls: { at: number; method: string; address: string; body: unknown }[] = [];
  constructor(public answer: (n: number, method: string, address: string) => Promise<unknown>) {}
  setHandler(_h: RpcHandler): void {}
  call(address: string, method: string, body?: unknown): Promise<unknown> {
    this.calls.push({ at: Date.now(), method, address, body });
    return this.answer(this.calls.length, method, address);
  }
}

/** A follower whose view of the leader the test controls. */
function follower(view: { leader: ServerAddress | undefined; self: boolean }, rpc: ScriptedRpc, holdMs: number) {
  const config = { ...buildRuntimeConfig({ dev: true, sources: [], warn: () => {} }), rpcHoldTimeoutMs: holdMs };
  const store = new StateStore();
  const direct = new DirectConsensus(new StateFsm(store));
  const consensus = Object.assign(Object.create(direct) as Consensus, {
    isLeader: () => view.self,
    leader: () => (view.self ? { id: 'me', node: 'me', address: '127.0.15.1:8300' } : view.leader),
  });
  return { cluster: new ClusterRpc(config, store, new ServerLocator(config), new NullLogger(), consensus, rpc), store };
}

describe('forwarding to the leader holds through an election (rpc_hold_timeout)', function () {
  this.timeout(10_000);

  it('holds a write while no leader is known and sends it once one is elected', async () => {
    const view = { leader: undefined as ServerAddress | undefined, self: false };
    const rpc = new ScriptedRpc(async () => ({ index: 7, value: true }));
    const { cluster } = follower(view, rpc, 5000);
    const t0 = Date.now();
    setTimeout(() => (view.leader = LEADER), 400);
    const reply = await cluster.write(KV_SET, { token: undefined });
    expect(reply).to.deep.equal({ index: 7, value: true });
    expect(Date.now() - t0).to.be.at.least(390);
    expect(rpc.calls).to.have.length(1);
  });

  it('retries an unreachable leader with jittered pauses, not a busy loop, until it answers', async () => {
    const view = { leader: LEADER as ServerAddress | undefined, self: false };
    let reachable = false;
    const rpc = new ScriptedRpc(async () => {
      if (!reachable) throw refused();
      return { index: 9, value: true };
    });
    const { cluster } = follower(view, rpc, 3200); // pauses of up to 200 ms
    setTimeout(() => (reachable = true), 1000);
    const reply = await cluster.write(KV_SET, { token: undefined });
    expect(reply).to.deep.equal({ index: 9, value: true });
    // ~1 s of refusals: with pauses averaging 100 ms that is about ten attempts, never hundreds.
    expect(rpc.calls.length).to.be.within(3, 40);
  });

  it('fails with "No cluster leader" (500) once the hold runs out', async () => {
    const view = { leader: LEADER as ServerAddress | undefined, self: false };
    const rpc = new ScriptedRpc(async () => {
      throw refused();
    });
    const { cluster } = follower(view, rpc, 600);
    const t0 = Date.now();
    const err = (await cluster.write(KV_SET, { token: undefined }).catch((e: unknown) => e)) as ProconsulError;
    expect(Date.now() - t0).to.be.within(590, 1500);
    expect(err).to.be.instanceOf(ProconsulError);
    expect(err.message).to.equal('No cluster leader');
    expect(err.statusCode).to.equal(500);
  });

  it('resends a write whose connection broke mid-call under the same request ID (the FSM applies it once); a read too', async () => {
    const view = { leader: LEADER as ServerAddress | undefined, self: false };
    const rpc = new ScriptedRpc(async (n, method) => {
      if (n === 1) throw brokeMidCall();
      if (method === 'Write') return { index: 5, value: true };
      return { value: 'ok', meta: { index: 3, knownLeader: true, lastContactMs: 0, consistency: 'leader' } };
    });
    const { cluster } = follower(view, rpc, 3000);
    expect(await cluster.write(KV_SET, { token: undefined })).to.deep.equal({ index: 5, value: true });
    expect(rpc.calls).to.have.length(2);
    const rids = rpc.calls.map((c) => (c.body as { rid?: string }).rid);
    expect(rids[0]).to.be.a('string').and.not.equal('');
    expect(rids[1]).to.equal(rids[0]);
    rpc.calls = [];
    rpc.answer = async (n) => {
      if (n === 1) throw brokeMidCall();
      return { value: 'ok', meta: { index: 3, knownLeader: true, lastContactMs: 0, consistency: 'leader' } };
    };
    const read = await cluster.read('KVS.Get', { key: 'k' }, DEFAULT_READ, { token: undefined });
    expect(read.value).to.equal('ok');
    expect(rpc.calls).to.have.length(2);
  });

  it('serves the held call itself when this server wins the election', async () => {
    const view = { leader: undefined as ServerAddress | undefined, self: false };
    const rpc = new ScriptedRpc(async () => {
      throw new Error('must not be called');
    });
    const { cluster, store } = follower(view, rpc, 5000);
    setTimeout(() => (view.self = true), 200);
    const reply = await cluster.write(KV_SET, { token: undefined });
    expect(reply.index).to.be.greaterThan(0);
    expect(store.kv.get('k').value?.Key).to.equal('k');
    expect(rpc.calls).to.have.length(0);
  });

  it('stops holding at once when the caller goes away', async () => {
    const view = { leader: undefined as ServerAddress | undefined, self: false };
    const { cluster } = follower(view, new ScriptedRpc(async () => ({})), 5000);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    const t0 = Date.now();
    const err = (await cluster
      .read('KVS.Get', { key: 'k' }, DEFAULT_READ, { token: undefined }, ac.signal)
      .catch((e: unknown) => e)) as ProconsulError;
    expect(err.code).to.equal('RPC_CANCELLED');
    expect(Date.now() - t0).to.be.lessThan(1000);
  });

  it('a client agent moves a write to the next server, with its request ID, whether or not the first received it', async () => {
    const config = { ...buildRuntimeConfig({ dev: true, sources: [], warn: () => {} }), server: false, rpcHoldTimeoutMs: 1000 };
    let first: () => Error = refused;
    const rpc = new ScriptedRpc(async (_n, _m, address) => {
      if (address === '127.0.15.1:8300') throw first();
      return { index: 4, value: true };
    });
    /** Write through a fresh client until the shuffled server order tried 127.0.15.1 first. */
    const writeTryingFirstServerFirst = async () => {
      for (let attempt = 0; attempt < 50; attempt++) {
        const locator = new ServerLocator(config);
        locator.add('127.0.15.1:8300');
        locator.add('127.0.15.2:8300');
        const client = new ClusterRpc(config, new StateStore(), locator, new NullLogger(), undefined, rpc);
        rpc.calls = [];
        const out = await client.write(KV_SET, { token: undefined }).catch((e: unknown) => e);
        if (rpc.calls[0]!.address === '127.0.15.1:8300') return { out, to: rpc.calls.map((c) => c.address) };
      }
      throw new Error('the shuffle never put 127.0.15.1 first');
    };
    const dialRefused = await writeTryingFirstServerFirst();
    expect(dialRefused.out).to.deep.equal({ index: 4, value: true });
    expect(dialRefused.to).to.deep.equal(['127.0.15.1:8300', '127.0.15.2:8300']);
    first = brokeMidCall;
    const inFlight = await writeTryingFirstServerFirst();
    expect(inFlight.out).to.deep.equal({ index: 4, value: true });
    expect(inFlight.to).to.deep.equal(['127.0.15.1:8300', '127.0.15.2:8300']);
    const rids = rpc.calls.map((c) => (c.body as { rid?: string }).rid);
    expect(rids[1]).to.be.a('string').and.equal(rids[0]);
  });

  it('gives up at once when the agent begins to shut down', async () => {
    const view = { leader: undefined as ServerAddress | undefined, self: false };
    const { cluster } = follower(view, new ScriptedRpc(async () => ({})), 5000);
    setTimeout(() => cluster.beginShutdown(), 150);
    const t0 = Date.now();
    const err = (await cluster.write(KV_SET, { token: undefined }).catch((e: unknown) => e)) as ProconsulError;
    expect(err.message).to.equal('No cluster leader');
    expect(Date.now() - t0).to.be.lessThan(1000);
  });
});
