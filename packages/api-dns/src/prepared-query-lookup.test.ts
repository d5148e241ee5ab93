import { expect } from 'chai';
import { FakeDataSource } from './test-support/fake-data-source.js';
import { ask, dataOf, makeHandler } from './test-support/handler-harness.js';

function catalog(): FakeDataSource {
  return new FakeDataSource('dc1', ['dc1', 'dc2'])
    .addNode({ Node: 'n1', Address: '10.0.0.1' })
    .addNode({ Node: 'n2', Address: '10.0.0.2' })
    .addNode({ Node: 'r1', Address: '10.9.0.1' }, 'dc2')
    .addService('n1', { Service: 'web', Port: 80 }, ['passing'])
    .addService('n2', { Service: 'web', Port: 81 }, ['warning'])
    .addService('r1', { Service: 'web', Port: 82 }, ['passing'], 'dc2')
    .addQuery('web-q', 'web', ['n2', 'n1'], '7s')
    .addQuery('web-q', 'web', ['r1'], '', 'dc2')
    .addQuery('empty', 'web', []);
}

describe('prepared query lookups (<query>.query[.<dc>].consul)', () => {
  it('answers A and SRV with the query instances in the order the query gave, with the query TTL', async () => {
    const h = makeHandler(catalog());
    const a = await ask(h, 'web-q.query.consul', 'A');
    expect(a.rcode).to.equal('NOERROR');
    expect(dataOf(a.answers, 'A')).to.deep.equal(['10.0.0.2', '10.0.0.1']);
    expect(a.answers!.map((r) => (r as { ttl?: number }).ttl)).to.deep.equal([7, 7]);
    const srv = dataOf((await ask(h, 'web-q.query.consul', 'SRV')).answers, 'SRV') as { port: number; target: string }[];
    expect(srv.map((s) => `${s.target}:${s.port}`)).to.deep.equal(['n2.node.dc1.consul:81', 'n1.node.dc1.consul:80']);
  });

  it('runs the query in the named datacenter; without a TTL the service TTL applies', async () => {
    const r = await ask(makeHandler(catalog(), { dns: { serviceTtlS: { web: 3 } } }), 'web-q.query.dc2.consul', 'A');
    expect(dataOf(r.answers, 'A')).to.deep.equal(['10.9.0.1']);
    expect((r.answers![0] as { ttl?: number }).ttl).to.equal(3);
  });

  it('answers NXDOMAIN for an unknown query, one with no instances, and an unknown datacenter', async () => {
    const h = makeHandler(catalog());
    expect((await ask(h, 'nope.query.consul', 'A')).rcode).to.equal('NXDOMAIN');
    expect((await ask(h, 'empty.query.consul', 'A')).rcode).to.equal('NXDOMAIN');
    expect((await ask(h, 'web-q.query.dc9.consul', 'A')).rcode).to.equal('NXDOMAIN');
  });
});
