import { expect } from 'chai';
import { FakeDataSource } from './test-support/fake-data-source.js';
import { ask, dataOf, makeHandler } from './test-support/handler-harness.js';

describe('reverse (PTR) lookups', () => {
  const source = new FakeDataSource()
    .addNode({ Node: 'web1', Address: '10.0.0.1' })
    .addNode({ Node: 'v6', Address: '2001:db8::7' })
    .addService('web1', { Service: 'api', Port: 80, Address: '192.168.5.5' });
  const handler = makeHandler(source);

  it('maps a node address to its node name', async () => {
    const r = await ask(handler, '1.0.0.10.in-addr.arpa', 'PTR');
    expect(r.rcode).to.equal('NOERROR');
    expect(dataOf(r.answers, 'PTR')).to.deep.equal(['web1.node.dc1.consul']);
  });

  it('maps an IPv6 node address via ip6.arpa', async () => {
    const name = '7.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa';
    expect(dataOf((await ask(handler, name, 'PTR')).answers, 'PTR')).to.deep.equal(['v6.node.dc1.consul']);
  });

  it('falls back to services registered with their own address', async () => {
    expect(dataOf((await ask(handler, '5.5.168.192.in-addr.arpa', 'PTR')).answers, 'PTR')).to.deep.equal([
      'api.service.dc1.consul',
    ]);
  });

  it('answers NXDOMAIN for unknown and partial addresses without recursors', async () => {
    expect((await ask(handler, '9.9.9.9.in-addr.arpa', 'PTR')).rcode).to.equal('NXDOMAIN');
    expect((await ask(handler, '0.10.in-addr.arpa', 'PTR')).rcode).to.equal('NXDOMAIN');
  });
});
