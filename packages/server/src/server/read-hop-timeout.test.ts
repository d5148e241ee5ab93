import { expect } from 'chai';
import { AS_SERVER, NullLogger, type QueryOptions, type ServerRpc } from '@proconsul/kernel';
import { buildRuntimeConfig } from '@proconsul/config';
import { StateStore } from '@proconsul/state';
import { ClusterRpc } from './cluster-rpc.js';
import { ServerLocator } from './server-locator.js';

const clientConfig = { ...buildRuntimeConfig({ dev: true, sources: [], warn: () => {} }), server: false };
const opts = (minIndex: number): QueryOptions => ({
  minIndex,
  maxWaitMs: 300_000, // what the HTTP layer sets without ?wait, index or not
  allowStale: false,
  requireConsistent: false,
  maxStaleMs: 0,
});

describe('how long a forwarded read may take on its hop to a server', () => {
  function client(): { cluster: ClusterRpc; timeouts: number[] } {
    const timeouts: number[] = [];
    const rpc = {
      setHandler: () => undefined,
      call: async (_a: string, _m: string, _b: unknown, timeoutMs?: number) => {
        timeouts.push(timeoutMs ?? -1);
        return { value: null, meta: { index: 1, lastContactMs: 0, knownLeader: true } };
      },
    } as ServerRpc;
    const locator = new ServerLocator(clientConfig);
    locator.add('127.0.0.1:8300');
    return { cluster: new ClusterRpc(clientConfig, new StateStore(), locator, new NullLogger(), undefined, rpc), timeouts };
  }

  it('a plain read (no index) waits only the slack, not the default 5-minute blocking wait', async () => {
    const { cluster, timeouts } = client();
    await cluster.read('KVS.Get', { key: 'k' }, { ...opts(0), datacenter: 'dc2' }, AS_SERVER);
    expect(timeouts).to.have.length(1);
    expect(timeouts[0]).to.be.at.most(30_000);
  });

  it('a blocking read waits its whole wait plus the slack', async () => {
    const { cluster, timeouts } = client();
    await cluster.read('KVS.Get', { key: 'k' }, opts(7), AS_SERVER);
    expect(timeouts[0]).to.be.at.least(300_000);
  });
});
