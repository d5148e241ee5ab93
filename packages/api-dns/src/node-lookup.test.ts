import { expect } from 'chai';
import { FakeDataSource } from './test-support/fake-data-source.js';
import { ask, dataOf, makeHandler, txtStrings } from './test-support/handler-harness.js';

describe('node lookups', () => {
  const source = new FakeDataSource('dc1', ['dc1', 'dc2'])
    .addNode({
      Node: 'web1',
      Address: '10.0.0.1',
      Meta: { env: 'prod', 'rfc1035-x': 'raw' },
      TaggedAddresses: { lan_ipv6: '2001:db8::1' },
    })
    .addNode({ Node: 'v6only', Address: '2001:db8::6' })
    .addNode({ Node: 'ext', Address: 'host.example.com' })
    .addNode({ Node: 'far', Address: '10.9.0.1' }, 'dc2');
  const handler = makeHandler(source, { dns: { nodeTtlS: 15 } });

  it('answers A with the node address and node_ttl, authoritative', async () => {
    const r = await ask(handler, 'web1.node.consul', 'A');
    expect(r.rcode).to.equal('NOERROR');
    expect(r.flag_aa).to.equal(true);
    expect(dataOf(r.answers, 'A')).to.deep.equal(['10.0.0.1']);
    expect(r.answers![0]!.name).to.equal('web1.node.consul');
    expect((r.answers![0] as { ttl: number }).ttl).to.equal(15);
  });

  it('is case-insensitive and answers with the lower-cased name', async () => {
    const r = await ask(handler, 'WEB1.Node.CONSUL', 'A');
    expect(dataOf(r.answers, 'A')).to.deep.equal(['10.0.0.1']);
    expect(r.questions![0]!.name).to.equal('web1.node.consul');
  });

  it('answers AAAA from the lan_ipv6 tagged address and from an IPv6 Address', async () => {
    expect(dataOf((await ask(handler, 'web1.node.consul', 'AAAA')).answers, 'AAAA')).to.deep.equal(['2001:db8::1']);
    expect(dataOf((await ask(handler, 'v6only.node.consul', 'AAAA')).answers, 'AAAA')).to.deep.equal(['2001:db8::6']);
  });

  it('answers NOERROR with SOA when the node has no record of that type', async () => {
    const r = await ask(handler, 'v6only.node.consul', 'A');
    expect(r.rcode).to.equal('NOERROR');
    expect(r.answers).to.have.length(0);
    expect(r.authorities!.map((a) => a.type)).to.deep.equal(['SOA']);
  });

  it('publishes node meta as TXT, and both address and TXT for ANY', async () => {
    expect(txtStrings((await ask(handler, 'web1.node.consul', 'TXT')).answers)).to.deep.equal(['env=prod', 'raw']);
    const any = await ask(handler, 'web1.node.consul', 'ANY');
    expect(any.answers!.map((a) => a.type).sort()).to.deep.equal(['A', 'TXT', 'TXT']);
  });

  it('answers a CNAME for a hostname address', async () => {
    const r = await ask(handler, 'ext.node.consul', 'A');
    expect(dataOf(r.answers, 'CNAME')).to.deep.equal(['host.example.com']);
  });

  it('looks up other datacenters in both dc forms', async () => {
    expect(dataOf((await ask(handler, 'far.node.dc2.consul', 'A')).answers, 'A')).to.deep.equal(['10.9.0.1']);
    expect(dataOf((await ask(handler, 'far.node.dc2.dc.consul', 'A')).answers, 'A')).to.deep.equal(['10.9.0.1']);
    expect((await ask(handler, 'far.node.consul', 'A')).rcode).to.equal('NXDOMAIN');
  });

  it('answers NXDOMAIN with SOA for unknown nodes and unknown datacenters', async () => {
    for (const name of ['nope.node.consul', 'web1.node.dc9.consul', 'bogus.consul']) {
      const r = await ask(handler, name, 'A');
      expect(r.rcode, name).to.equal('NXDOMAIN');
      expect(r.flag_aa).to.equal(true);
      const soa = r.authorities![0] as { type: string; name: string; data: { mname: string; rname: string } };
      expect(soa.type).to.equal('SOA');
      expect(soa.name).to.equal('consul');
      expect(soa.data.mname).to.equal('ns.consul');
      expect(soa.data.rname).to.equal('hostmaster.consul');
    }
  });

  it('passes allow_stale and max_stale through to the data source', async () => {
    const s = new FakeDataSource().addNode({ Node: 'n', Address: '10.0.0.2' });
    const h = makeHandler(s, { dns: { allowStale: false, maxStaleMs: 1234 } });
    await ask(h, 'n.node.consul', 'A');
    expect(s.reads).to.deep.equal([{ method: 'node', opts: { allowStale: false, maxStaleMs: 1234 } }]);
  });
});
