import { expect } from 'chai';
import { AS_SERVER, isCoded, NullLogger, type Consensus, type QueryOptions, type RpcHandler } from '@proconsul/kernel';
import { buildRuntimeConfig } from '@proconsul/config';
import { StateFsm, StateStore } from '@proconsul/state';
import { ClusterRpc, ServerLocator } from '@proconsul/server';
import { DirectConsensus } from '@proconsul/kernel/testing';
import { ServerPort } from './server-port.js';
import { TcpServerRpc } from './tcp-server-rpc.js';

const log = new NullLogger();
const serverConfig = buildRuntimeConfig({ dev: true, sources: [], warn: () => {} });
const clientConfig = { ...serverConfig, server: false };

function blockingOpts(minIndex: number): QueryOptions {
  return { minIndex, maxWaitMs: 600_000, allowStale: false, requireConsistent: false, maxStaleMs: 0 };
}

async function until(what: string, cond: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

interface Server {
  readonly address: string;
  readonly store: StateStore;
  readonly cluster: ClusterRpc;
  readonly rpc: TcpServerRpc;
  readonly port: ServerPort;
}

/** A server agent's RPC stack on 127.0.0.1: server port, TcpServerRpc, ClusterRpc over `consensus`. */
async function startServer(consensus: (store: StateStore) => Consensus): Promise<Server> {
  const port = new ServerPort(log);
  const address = `127.0.0.1:${await port.listen('127.0.0.1', 0)}`;
  const store = new StateStore();
  const rpc = new TcpServerRpc(port, log);
  const cluster = new ClusterRpc(serverConfig, store, new ServerLocator(serverConfig), log, consensus(store), rpc);
  rpc.setHandler((method, body, signal) => cluster.handle(method, body, signal));
  return { address, store, cluster, rpc, port };
}

describe('cancelling forwarded blocking queries (client → follower → leader over TCP)', function () {
  this.timeout(10_000);
  let leader: Server;
  let follower: Server;
  let clientRpc: TcpServerRpc;
  let client: ClusterRpc;

  beforeEach(async () => {
    leader = await startServer((store) => new DirectConsensus(new StateFsm(store)));
    // A follower: not the leader, knows where the leader is; default reads go there.
    follower = await startServer((store) => {
      const direct = new DirectConsensus(new StateFsm(store));
      return Object.assign(Object.create(direct) as Consensus, {
        isLeader: () => false,
        leader: () => ({ id: 'leader', node: 'leader', address: leader.address }),
      });
    });
    clientRpc = new TcpServerRpc(undefined, log);
    const locator = new ServerLocator(clientConfig);
    locator.add(follower.address);
    client = new ClusterRpc(clientConfig, new StateStore(), locator, log, undefined, clientRpc);
  });

  afterEach(async () => {
    clientRpc.close();
    for (const s of [follower, leader]) {
      s.rpc.close();
      await s.port.close();
    }
  });

  async function currentIndex(): Promise<number> {
    await client.write({ v: 1, type: 'kv-set', Key: 'k', Value: new Uint8Array([1]) }, AS_SERVER);
    return (await client.read('KVS.Get', { key: 'k' }, blockingOpts(0), AS_SERVER)).meta.index;
  }

  it('still answers a blocking query woken by a write, and holds nothing afterwards', async () => {
    const index = await currentIndex();
    const waiting = client.read('KVS.Get', { key: 'k' }, blockingOpts(index), AS_SERVER);
    await until('the leader to hold the query', () => leader.cluster.blocking.count === 1);
    await client.write({ v: 1, type: 'kv-set', Key: 'k', Value: new Uint8Array([2]) }, AS_SERVER);
    expect((await waiting).meta.index).to.be.greaterThan(index);
    expect(leader.cluster.blocking.count).to.equal(0);
    expect(leader.store.watches.size).to.equal(0);
  });

  it('aborting the signal on the client removes the query and its watches from the leader', async () => {
    const index = await currentIndex();
    const queries = Array.from({ length: 20 }, () => {
      const abort = new AbortController();
      const reply = client.read('KVS.Get', { key: 'k' }, blockingOpts(index), AS_SERVER, abort.signal);
      return {
        abort,
        reply: reply.then(
          () => 'answered',
          (e: unknown) => e,
        ),
      };
    });
    await until('the leader to hold all queries', () => leader.cluster.blocking.count === 20);
    expect(leader.store.watches.size).to.be.greaterThan(0);
    const t0 = Date.now();
    for (const q of queries) q.abort.abort();
    for (const q of queries) expect(isCoded(await q.reply, 'RPC_CANCELLED')).to.equal(true);
    await until('the leader to release every query', () => leader.cluster.blocking.count === 0);
    expect(leader.store.watches.size, 'watch registrations left on the leader').to.equal(0);
    expect(Date.now() - t0).to.be.lessThan(1000);
    // The cancelled calls did not mark the follower failed: the next read still goes through it.
    expect((await client.read('KVS.Get', { key: 'k' }, blockingOpts(0), AS_SERVER)).meta.index).to.equal(index);
  });

  it('a client agent whose connection drops leaves no query behind on the servers', async () => {
    const index = await currentIndex();
    const waiting = client.read('KVS.Get', { key: 'k' }, blockingOpts(index), AS_SERVER).catch((e: unknown) => e);
    await until('the leader to hold the query', () => leader.cluster.blocking.count === 1);
    clientRpc.close(); // the client agent went away without cancelling
    expect(isCoded(await waiting, 'RPC_CONNECT_FAILED')).to.equal(true);
    await until('the leader to release the query', () => leader.cluster.blocking.count === 0);
    expect(leader.store.watches.size).to.equal(0);
  });
});

describe('ServerRpc cancel frames', function () {
  this.timeout(10_000);

  async function withServer(handler: RpcHandler, body: (address: string, client: TcpServerRpc) => Promise<void>) {
    const port = new ServerPort(log);
    const address = `127.0.0.1:${await port.listen('127.0.0.1', 0)}`;
    new TcpServerRpc(port, log).setHandler(handler);
    const client = new TcpServerRpc(undefined, log);
    try {
      await body(address, client);
    } finally {
      client.close();
      await port.close();
    }
  }

  /** A handler that waits until its signal aborts, recording that it did. */
  function waiter() {
    const state = { started: 0, aborted: 0 };
    const handler: RpcHandler = (_m, _b, signal) => {
      state.started++;
      return new Promise((resolve) =>
        signal!.addEventListener(
          'abort',
          () => {
            state.aborted++;
            resolve('ignored');
          },
          { once: true },
        ),
      );
    };
    return { state, handler };
  }

  it('a call that times out aborts the remote handler too', async () => {
    const w = waiter();
    await withServer(w.handler, async (address, client) => {
      const err = await client.call(address, 'wait', null, 100).catch((e: unknown) => e);
      expect(isCoded(err, 'RPC_TIMEOUT')).to.equal(true);
      await until('the handler to be aborted', () => w.state.aborted === 1);
    });
  });

  it('an already-aborted signal sends nothing', async () => {
    const w = waiter();
    await withServer(w.handler, async (address, client) => {
      const err = await client.call(address, 'wait', null, 1000, AbortSignal.abort()).catch((e: unknown) => e);
      expect(isCoded(err, 'RPC_CANCELLED')).to.equal(true);
      expect(await client.call(address, 'wait', null, 50).catch(() => 'timeout')).to.equal('timeout');
      expect(w.state.started).to.equal(1); // only the second call reached the server
    });
  });

  it('cancelling one call leaves the others on the same connection running', async () => {
    const w = waiter();
    await withServer(w.handler, async (address, client) => {
      const a = new AbortController();
      const first = client.call(address, 'wait', null, 5000, a.signal).catch((e: unknown) => e);
      const second = client.call(address, 'wait', null, 300).catch((e: unknown) => e);
      await until('both handlers to start', () => w.state.started === 2);
      a.abort();
      expect(isCoded(await first, 'RPC_CANCELLED')).to.equal(true);
      await until('the first handler to be aborted', () => w.state.aborted === 1);
      expect(w.state.aborted).to.equal(1);
      expect(isCoded(await second, 'RPC_TIMEOUT')).to.equal(true);
    });
  });
});
