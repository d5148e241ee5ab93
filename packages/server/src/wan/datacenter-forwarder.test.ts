import { expect } from 'chai';
import { NO_METRICS, NullLogger, type Member, type Membership, type RuntimeConfig, type ServerRpc } from '@proconsul/kernel';
import { DatacenterForwarder } from './datacenter-forwarder.js';
import { WanRouter } from './wan-router.js';

const dc2Server = (name: string, addr: string, status: Member['status']): Member => ({
  name: `${name}.dc2`,
  addr,
  port: 8302,
  tags: { role: 'consul', dc: 'dc2', port: '8300' },
  status,
  protocolMin: 1,
  protocolMax: 5,
  protocolCur: 2,
  delegateMin: 2,
  delegateMax: 5,
  delegateCur: 4,
});

describe('forwarding to another datacenter when its servers stop answering', () => {
  it('does not wait on servers that gossip marked failed while an earlier attempt timed out', async () => {
    const members = ['10.2.0.1', '10.2.0.2', '10.2.0.3'].map((a, i) => dc2Server(`s${i}`, a, 'alive'));
    const membership = { members: (pool: string) => (pool === 'wan' ? members : []) } as unknown as Membership;
    const router = new WanRouter({ datacenter: 'dc1', server: true } as RuntimeConfig, membership);
    const tried: string[] = [];
    const rpc = {
      setHandler: () => undefined,
      // A cut link: the call times out, and meanwhile gossip has declared every dc2 server failed.
      call: async (address: string) => {
        tried.push(address);
        for (const [i, m] of members.entries()) members[i] = { ...m, status: 'failed' };
        throw Object.assign(new Error(`rpc timeout to ${address}`), { name: 'TimeoutError' });
      },
    } as ServerRpc;
    const fwd = new DatacenterForwarder(router, rpc, new NullLogger(), NO_METRICS);
    const err = await fwd.call('dc2', 'Read', {}, { waitMs: 0, idempotent: true }).catch((e: Error) => e);
    expect((err as Error).message).to.equal('Remote DC has no server currently reachable');
    expect(tried).to.have.length(1);
  });

  it('still tries the next alive server after one fails', async () => {
    const members = ['10.2.0.1', '10.2.0.2'].map((a, i) => dc2Server(`s${i}`, a, 'alive'));
    const membership = { members: (pool: string) => (pool === 'wan' ? members : []) } as unknown as Membership;
    const router = new WanRouter({ datacenter: 'dc1', server: true } as RuntimeConfig, membership);
    const tried: string[] = [];
    const rpc = {
      setHandler: () => undefined,
      call: async (address: string) => {
        tried.push(address);
        if (tried.length === 1) throw new Error('connect ECONNREFUSED');
        return 'answer';
      },
    } as ServerRpc;
    const fwd = new DatacenterForwarder(router, rpc, new NullLogger(), NO_METRICS);
    expect(await fwd.call('dc2', 'Read', {}, { waitMs: 0, idempotent: true })).to.equal('answer');
    expect(new Set(tried).size).to.equal(2);
  });
});
