import { expect } from 'chai';
import { FakeConsulServer } from '../test/fake-consul-server.js';
import { runCaptured } from '../test/run-command.js';

const at = (x: number) => ({ Vec: [x, 0, 0, 0, 0, 0, 0, 0], Error: 0.2, Adjustment: 0, Height: 0 });

describe('rtt (fake agent)', () => {
  const fake = new FakeConsulServer();
  let env: Record<string, string>;
  before(async () => {
    await fake.start();
    env = { CONSUL_HTTP_ADDR: fake.url };
    fake.on('GET', '/v1/agent/self', { body: { Config: { NodeName: 'web-1', Datacenter: 'dc1' } } });
    fake.on('GET', '/v1/coordinate/nodes', {
      body: [
        { Node: 'web-1', Segment: '', Coord: at(0) },
        { Node: 'db-1', Segment: '', Coord: at(0.001234) },
      ],
    });
    fake.on('GET', '/v1/coordinate/datacenters', {
      body: [
        { Datacenter: 'dc1', AreaID: 'wan', Coordinates: [{ Node: 'web-1', Segment: '', Coord: at(0) }] },
        { Datacenter: 'dc2', AreaID: 'wan', Coordinates: [{ Node: 's2', Segment: '', Coord: at(0.0305) }] },
      ],
    });
  });
  after(() => fake.stop());
  const run = (...argv: string[]) => runCaptured(argv, { env });

  it('estimates between two nodes, or to this agent’s node, in Consul’s words', async () => {
    expect(await run('rtt', 'db-1', 'web-1')).to.deep.equal({
      code: 0,
      out: 'Estimated db-1 <-> web-1 rtt: 1.234 ms (using LAN coordinates)\n',
      err: '',
    });
    expect((await run('rtt', 'db-1')).out).to.equal('Estimated db-1 <-> web-1 rtt: 1.234 ms (using LAN coordinates)\n');
  });

  it('-wan takes node.dc names and reads the datacenters’ WAN coordinates', async () => {
    expect((await run('rtt', '-wan', 's2.dc2')).out).to.equal(
      'Estimated s2.dc2 <-> web-1.dc1 rtt: 30.500 ms (using WAN coordinates)\n',
    );
    const bad = await run('rtt', '-wan', 's2');
    expect(bad.code).to.equal(1);
    expect(bad.err).to.contain('<node name>.<datacenter>');
  });

  it('fails clearly for a node without a coordinate or a wrong number of names', async () => {
    const r = await run('rtt', 'ghost', 'web-1');
    expect(r).to.deep.include({ code: 1, out: '' });
    expect(r.err).to.contain('Could not find a coordinate for node "ghost"');
    expect((await run('rtt')).err).to.contain('One or two node names must be specified');
    expect((await run('rtt', 'a', 'b', 'c')).code).to.equal(1);
  });
});
