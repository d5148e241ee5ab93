import { expect } from 'chai';
import { FakeDataSource } from './test-support/fake-data-source.js';
import { ask, dataOf, makeHandler } from './test-support/handler-harness.js';

describe('SOA and NS', () => {
  const source = new FakeDataSource()
    .addNode({ Node: 's1', Address: '10.0.0.1' })
    .addNode({ Node: 's2', Address: '10.0.0.2' })
    .addService('s1', { Service: 'consul', Port: 8300 })
    .addService('s2', { Service: 'consul', Port: 8300 });
  const handler = makeHandler(source);

  it('answers SOA for the domain with the servers as NS in authority', async () => {
    const r = await ask(handler, 'consul', 'SOA');
    expect(r.rcode).to.equal('NOERROR');
    const soa = r.answers![0] as {
      type: string;
      name: string;
      data: { mname: string; refresh: number; retry: number; expire: number; minimum: number };
    };
    expect(soa.type).to.equal('SOA');
    expect(soa.name).to.equal('consul');
    expect(soa.data).to.include({ mname: 'ns.consul', refresh: 3600, retry: 600, expire: 86400, minimum: 0 });
    expect(dataOf(r.authorities, 'NS').sort()).to.deep.equal(['s1.node.dc1.consul', 's2.node.dc1.consul']);
    expect(dataOf(r.additionals, 'A').sort()).to.deep.equal(['10.0.0.1', '10.0.0.2']);
  });

  it('answers NS with server nodes and their addresses', async () => {
    const r = await ask(handler, 'consul', 'NS');
    expect(dataOf(r.answers, 'NS').sort()).to.deep.equal(['s1.node.dc1.consul', 's2.node.dc1.consul']);
    expect(r.answers!.every((a) => a.name === 'consul')).to.equal(true);
    expect(dataOf(r.additionals, 'A').sort()).to.deep.equal(['10.0.0.1', '10.0.0.2']);
  });

  it('answers NOERROR with SOA for other types at the apex', async () => {
    const r = await ask(handler, 'consul', 'A');
    expect(r.rcode).to.equal('NOERROR');
    expect(r.authorities!.map((a) => a.type)).to.deep.equal(['SOA']);
  });
});
