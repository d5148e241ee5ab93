import { expect } from 'chai';
import { FakeDataSource } from './test-support/fake-data-source.js';
import { ask, dataOf, makeHandler } from './test-support/handler-harness.js';

function catalog(): FakeDataSource {
  return new FakeDataSource('dc1', ['dc1', 'dc2'])
    .addNode({ Node: 'n1', Address: '10.0.0.1' })
    .addNode({ Node: 'n2', Address: '10.0.0.2' })
    .addNode({ Node: 'n3', Address: '10.0.0.3' })
    .addService('n1', { Service: 'web', Port: 80, Tags: ['v1', 'Primary'] }, ['passing'])
    .addService('n2', { Service: 'web', Port: 81, Tags: ['v2'] }, ['warning'])
    .addService('n3', { Service: 'web', Port: 82, Tags: ['v1'] }, ['critical'])
    .addService('n3', { Service: 'api', Port: 9000, Address: '192.168.1.7' })
    .addService('n2', { Service: 'cdn', Port: 443, Address: 'cdn.example.net' });
}

describe('service lookups', () => {
  it('returns instances without a critical check, using node addresses', async () => {
    const r = await ask(makeHandler(catalog()), 'web.service.consul', 'A');
    expect(r.rcode).to.equal('NOERROR');
    expect(dataOf(r.answers, 'A').sort()).to.deep.equal(['10.0.0.1', '10.0.0.2']);
  });

  it('drops warning instances too with only_passing', async () => {
    const r = await ask(makeHandler(catalog(), { dns: { onlyPassing: true } }), 'web.service.consul', 'A');
    expect(dataOf(r.answers, 'A')).to.deep.equal(['10.0.0.1']);
  });

  it('counts node-level critical checks against every service on the node', async () => {
    const s = catalog();
    s.setNodeChecks('n1', ['critical']);
    expect(dataOf((await ask(makeHandler(s), 'web.service.consul', 'A')).answers, 'A')).to.deep.equal(['10.0.0.2']);
  });

  it('answers NXDOMAIN when every instance is failing or the service is unknown', async () => {
    const s = catalog();
    s.setNodeChecks('n1', ['critical']);
    s.setNodeChecks('n2', ['maintenance']);
    const h = makeHandler(s);
    expect((await ask(h, 'web.service.consul', 'A')).rcode).to.equal('NXDOMAIN');
    expect((await ask(h, 'nothere.service.consul', 'A')).rcode).to.equal('NXDOMAIN');
    expect((await ask(h, 'web.service.dc7.consul', 'A')).rcode).to.equal('NXDOMAIN');
  });

  it('filters by tag case-insensitively, in standard and RFC 2782 forms', async () => {
    const h = makeHandler(catalog());
    expect(dataOf((await ask(h, 'v2.web.service.consul', 'A')).answers, 'A')).to.deep.equal(['10.0.0.2']);
    expect(dataOf((await ask(h, 'PRIMARY.web.service.consul', 'A')).answers, 'A')).to.deep.equal(['10.0.0.1']);
    const srv = await ask(h, '_web._v1.service.consul', 'SRV');
    expect(dataOf(srv.answers, 'SRV')).to.deep.equal([{ priority: 1, weight: 1, port: 80, target: 'n1.node.dc1.consul' }]);
    const tcp = await ask(h, '_web._tcp.consul', 'SRV');
    expect(tcp.answers).to.have.length(2);
  });

  it('answers SRV with node targets and their A records in the additional section', async () => {
    const r = await ask(makeHandler(catalog()), 'web.service.consul', 'SRV');
    const srv = dataOf(r.answers, 'SRV') as { port: number; target: string }[];
    expect(srv.map((s) => `${s.target}:${s.port}`).sort()).to.deep.equal(['n1.node.dc1.consul:80', 'n2.node.dc1.consul:81']);
    const extras = r.additionals!.filter((a) => a.type === 'A').map((a) => `${a.name}=${String((a as { data: string }).data)}`);
    expect(extras.sort()).to.deep.equal(['n1.node.dc1.consul=10.0.0.1', 'n2.node.dc1.consul=10.0.0.2']);
  });

  it('uses the service address for A, and an addr target for SRV', async () => {
    const h = makeHandler(catalog());
    expect(dataOf((await ask(h, 'api.service.consul', 'A')).answers, 'A')).to.deep.equal(['192.168.1.7']);
    const srv = await ask(h, 'api.service.consul', 'SRV');
    expect(dataOf(srv.answers, 'SRV')).to.deep.equal([
      { priority: 1, weight: 1, port: 9000, target: 'c0a80107.addr.dc1.consul' },
    ]);
    expect(srv.additionals!.map((a) => [a.name, (a as { data: string }).data])).to.deep.equal([
      ['c0a80107.addr.dc1.consul', '192.168.1.7'],
    ]);
    expect(dataOf((await ask(h, 'c0a80107.addr.dc1.consul', 'A')).answers, 'A')).to.deep.equal(['192.168.1.7']);
  });

  it('answers a CNAME for a hostname service address, and SRV targets it directly', async () => {
    const h = makeHandler(catalog());
    expect(dataOf((await ask(h, 'cdn.service.consul', 'A')).answers, 'CNAME')).to.deep.equal(['cdn.example.net']);
    const srv = await ask(h, 'cdn.service.consul', 'SRV');
    expect((dataOf(srv.answers, 'SRV')[0] as { target: string }).target).to.equal('cdn.example.net');
  });

  it('uses SRV weights by health', async () => {
    const s = new FakeDataSource()
      .addNode({ Node: 'n', Address: '10.0.0.1' })
      .addService('n', { Service: 'w', Port: 1, Weights: { Passing: 10, Warning: 2 } }, ['warning']);
    const srv = await ask(makeHandler(s), 'w.service.consul', 'SRV');
    expect((dataOf(srv.answers, 'SRV')[0] as { weight: number }).weight).to.equal(2);
  });

  it('applies service_ttl: exact, longest prefix, wildcard', async () => {
    const s = catalog();
    const h = makeHandler(s, { dns: { serviceTtlS: { web: 30, 'a*': 20, '*': 5 }, nodeTtlS: 1 } });
    const ttl = async (n: string) => ((await ask(h, n, 'A')).answers![0] as { ttl: number }).ttl;
    expect(await ttl('web.service.consul')).to.equal(30);
    expect(await ttl('api.service.consul')).to.equal(20);
    s.addService('n1', { Service: 'zzz', Port: 1 });
    expect(await ttl('zzz.service.consul')).to.equal(5);
  });

  it('shuffles answers per query', async () => {
    const s = new FakeDataSource();
    for (let i = 1; i <= 8; i++)
      s.addNode({ Node: `n${i}`, Address: `10.0.1.${i}` }).addService(`n${i}`, { Service: 's', Port: 1 });
    const h = makeHandler(s);
    const orders = new Set<string>();
    for (let i = 0; i < 10; i++)
      orders.add(JSON.stringify(dataOf((await ask(h, 's.service.consul', 'A', { transport: 'tcp' })).answers, 'A')));
    expect(orders.size).to.be.greaterThan(1);
    for (const o of orders) expect((JSON.parse(o) as string[]).sort()).to.have.length(8);
  });

  it('answers NOERROR with SOA for a healthy service asked for an unsupported type', async () => {
    const r = await ask(makeHandler(catalog()), 'web.service.consul', 'MX');
    expect(r.rcode).to.equal('NOERROR');
    expect(r.answers).to.have.length(0);
    expect(r.authorities![0]!.type).to.equal('SOA');
  });

  it('serves the alt domain and answers in it', async () => {
    const h = makeHandler(catalog(), { altDomain: 'alt.test.' });
    const r = await ask(h, 'web.service.alt.test', 'SRV');
    expect((dataOf(r.answers, 'SRV') as { target: string }[]).every((s) => s.target.endsWith('.dc1.alt.test'))).to.equal(true);
  });
});
