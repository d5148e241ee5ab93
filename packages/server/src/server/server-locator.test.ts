import { expect } from 'chai';
import { type Member, type Membership } from '@proconsul/kernel';
import { buildRuntimeConfig } from '@proconsul/config';
import { ServerLocator } from './server-locator.js';

const member = (name: string, addr: string, tags: Record<string, string>, status: Member['status'] = 'alive'): Member => ({
  name,
  addr,
  port: 8301,
  tags,
  status,
  protocolMin: 1,
  protocolMax: 5,
  protocolCur: 2,
  delegateMin: 2,
  delegateMax: 5,
  delegateCur: 4,
});

describe('ServerLocator', () => {
  const config = buildRuntimeConfig({ dev: true, sources: [], warn: () => {} });
  const members = [
    member('s1', '10.0.0.1', { role: 'consul', dc: 'dc1', port: '8300' }),
    member('s2', '10.0.0.2', { role: 'consul', dc: 'dc1', port: '9300' }),
    member('s3', '10.0.0.3', { role: 'consul', dc: 'dc1', port: '8300' }, 'failed'),
    member('c1', '10.0.0.4', { role: 'node', dc: 'dc1' }),
    member('w1', '10.0.0.5', { role: 'consul', dc: 'dc2', port: '8300' }),
  ];
  const membership = { members: () => members } as unknown as Membership;

  it('lists alive servers of our datacenter with their RPC port', () => {
    expect(new ServerLocator(config, membership).servers().sort()).to.deep.equal(['10.0.0.1:8300', '10.0.0.2:9300']);
  });

  it('puts a server that just failed last', () => {
    const locator = new ServerLocator(config, membership);
    locator.markFailed('10.0.0.1:8300');
    for (let i = 0; i < 20; i++) expect(locator.servers()).to.deep.equal(['10.0.0.2:9300', '10.0.0.1:8300']);
  });
});
