import { expect } from 'chai';
import { FakeConsulServer } from '../test/fake-consul-server.js';
import { runCaptured } from '../test/run-command.js';

const NODES = [
  {
    ID: '40e4a748-2192-161a-0510-9bf59fe950b5',
    Node: 'worker-01',
    Address: '10.0.0.1',
    Datacenter: 'dc1',
    TaggedAddresses: { lan: '10.0.0.1', wan: '192.0.2.1' },
    Meta: { rack: 'r1', env: 'prod' },
  },
  {
    ID: 'a11b2c33-0000-0000-0000-000000000000',
    Node: 'db',
    Address: '10.0.0.20',
    Datacenter: 'dc1',
    TaggedAddresses: null,
    Meta: null,
  },
];

describe('catalog commands (fake agent)', () => {
  const fake = new FakeConsulServer();
  let env: Record<string, string>;
  before(async () => {
    await fake.start();
    env = { CONSUL_HTTP_ADDR: fake.url };
  });
  after(() => fake.stop());
  const run = (...argv: string[]) => runCaptured(argv, { env });

  it('catalog datacenters lists one per line', async () => {
    fake.on('GET', '/v1/catalog/datacenters', { body: ['dc1', 'dc2'] });
    expect(await run('catalog', 'datacenters')).to.deep.equal({ code: 0, out: 'dc1\ndc2\n', err: '' });
  });

  it('catalog nodes prints Node ID Address DC with the short ID, columnized', async () => {
    fake.on('GET', '/v1/catalog/nodes', { body: NODES });
    const r = await run('catalog', 'nodes', '-node-meta', 'env=prod', '-near', '_agent');
    expect(r.out).to.equal(
      [
        'Node       ID        Address    DC',
        'worker-01  40e4a748  10.0.0.1   dc1',
        'db         a11b2c33  10.0.0.20  dc1',
        '',
      ].join('\n'),
    );
    const q = fake.last('GET', '/v1/catalog/nodes').query;
    expect([q.getAll('node-meta'), q.get('near')]).to.deep.equal([['env:prod'], '_agent']);
  });

  it('catalog nodes -detailed adds tagged addresses and meta, sorted', async () => {
    const r = await run('catalog', 'nodes', '-detailed');
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).to.match(/^Node\s+ID\s+Address\s+DC\s+TaggedAddresses\s+Meta$/);
    expect(lines[1])
      .to.contain('40e4a748-2192-161a-0510-9bf59fe950b5')
      .and.to.contain('lan=10.0.0.1, wan=192.0.2.1')
      .and.to.match(/env=prod, rack=r1$/);
  });

  it('catalog nodes -service reads /v1/catalog/service/:name; an empty answer is not an error', async () => {
    fake.on('GET', '/v1/catalog/service/web', { body: [] });
    const r = await run('catalog', 'nodes', '-service=web');
    expect([r.code, r.err.trim()]).to.deep.equal([0, 'No nodes match the given query - try expanding your search.']);
  });

  it('catalog services lists names sorted, -tags aligned, -node via /v1/catalog/node/:n', async () => {
    fake.on('GET', '/v1/catalog/services', { body: { web: ['v2', 'primary'], consul: [], redis: ['cache'] } });
    expect((await run('catalog', 'services')).out).to.equal('consul\nredis\nweb\n');
    // Go's tabwriter pads a cell even when the next one is empty, hence consul's trailing spaces.
    expect((await run('catalog', 'services', '-tags')).out).to.equal('consul      \nredis       cache\nweb         primary,v2\n');
    fake.on('GET', '/v1/catalog/node/db', { body: { Node: {}, Services: { 'pg-1': { Service: 'pg', Tags: ['main'] } } } });
    expect((await run('catalog', 'services', '-node=db')).out).to.equal('pg\n');
  });

  it('rejects positional arguments', async () => {
    const r = await run('catalog', 'nodes', 'extra');
    expect([r.code, r.err.trim()]).to.deep.equal([1, 'Too many arguments (expected 0, got 1)']);
  });
});
