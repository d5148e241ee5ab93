import { expect } from 'chai';
import type { Member, Membership, RuntimeConfig } from '@proconsul/kernel';
import { sortDatacenters } from './datacenter-order.js';
import { WanRouter } from './wan-router.js';
import { asWanServer } from './wan-server.js';

function member(name: string, addr: string, tags: Record<string, string>, status: Member['status'] = 'alive'): Member {
  return {
    name,
    addr,
    port: 8302,
    tags,
    status,
    protocolMin: 1,
    protocolMax: 5,
    protocolCur: 2,
    delegateMin: 2,
    delegateMax: 5,
    delegateCur: 4,
  };
}

const server = (name: string, dc: string, addr: string, status: Member['status'] = 'alive') =>
  member(`${name}.${dc}`, addr, { role: 'consul', dc, port: '8300' }, status);

function router(members: Member[], isServer = true): WanRouter {
  const membership = { members: (pool: string) => (pool === 'wan' ? members : []) } as unknown as Membership;
  return new WanRouter({ datacenter: 'DC1', server: isServer } as RuntimeConfig, membership);
}

describe('WAN routing table', () => {
  it('reads servers from WAN members: role=consul only, dc from the tag, the server port from `port`', () => {
    expect(asWanServer(server('s1', 'dc2', '10.0.0.1'))).to.deep.equal({
      dc: 'dc2',
      node: 's1',
      address: '10.0.0.1:8300',
      alive: true,
    });
    expect(asWanServer(member('c1.dc2', '10.0.0.2', { role: 'node', dc: 'dc2' }))).to.equal(undefined);
    expect(asWanServer(member('s9.DC3', '::1', { role: 'consul' }))).to.deep.include({ dc: 'dc3', address: '[::1]:8300' });
  });

  it('lists every federated datacenter once, the local one included, by name without coordinates', () => {
    const r = router([server('a', 'dc3', '10.0.3.1'), server('b', 'dc2', '10.0.2.1'), server('c', 'dc2', '10.0.2.2')]);
    expect(r.datacenters()).to.deep.equal(['dc1', 'dc2', 'dc3']);
    expect(router([]).datacenters()).to.deep.equal(['dc1']);
  });

  it('orders datacenters by estimated RTT when a distance is given, unknown ones last', () => {
    const rtt: Record<string, number> = { dc3: 5, dc1: 0 };
    expect(sortDatacenters(['dc2', 'dc3', 'dc1', 'dc3'], (dc) => rtt[dc])).to.deep.equal(['dc1', 'dc3', 'dc2']);
  });

  it('knows a datacenter whose servers all failed, but does not call it reachable; left members are gone', () => {
    const r = router([server('a', 'dc2', '10.0.2.1', 'failed'), server('b', 'dc4', '10.0.4.1', 'left')]);
    expect(r.known('DC2')).to.equal(true);
    expect(r.reachable('dc2')).to.equal(false);
    expect(r.known('dc4')).to.equal(false);
    expect(r.known('dc9')).to.equal(false);
    expect(r.reachable('dc1')).to.equal(true);
    expect(r.isLocal('Dc1')).to.equal(true);
    expect(r.isLocal(undefined)).to.equal(true);
  });

  it('offers only alive servers, and puts one that just failed a call last', () => {
    const r = router([server('a', 'dc2', '10.0.2.1'), server('b', 'dc2', '10.0.2.2'), server('c', 'dc2', '10.0.2.3', 'failed')]);
    expect(r.servers('dc2').sort()).to.deep.equal(['10.0.2.1:8300', '10.0.2.2:8300']);
    r.markFailed('10.0.2.1:8300');
    for (let i = 0; i < 10; i++) expect(r.servers('dc2')).to.deep.equal(['10.0.2.2:8300', '10.0.2.1:8300']);
  });

  it('a client agent has no WAN pool: it lists what a server told it', async () => {
    const r = router([server('a', 'dc2', '10.0.2.1')], false);
    expect(r.datacenters()).to.deep.equal(['dc1']);
    r.useServerList(async () => ['dc1', 'dc5']);
    r.datacenters(); // asks in the background
    await new Promise((res) => setImmediate(res));
    expect(r.datacenters()).to.deep.equal(['dc1', 'dc5']);
  });
});
