/**
 * Network coordinates end to end with real processes: gossip probes feed Vivaldi, agents
 * send their coordinate to the server, and the HTTP API, `?near` and `proconsul rtt` read
 * them. A server and two client agents on loopback (127.0.35.x is this suite's).
 */
import { expect } from 'chai';
import { waitForHttp } from './agent-runner.js';
import { agentUrl as url, LoopbackAgents, poll as pollAgents, waitForLeader } from './loopback-agents.js';
import { runCaptured } from './run-command.js';

const S1 = '127.0.35.1';
const C1 = '127.0.35.2';
const C2 = '127.0.35.3';

/** The coordinates arrive after gossip rounds and a sync interval: a minute's wait. */
const poll = <T>(what: string, fn: () => Promise<T | undefined>) => pollAgents(what, fn, 60_000);

async function json<T>(ip: string, path: string): Promise<T> {
  const r = await fetch(url(ip, path));
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

describe('network coordinates (real agents: a server and two clients)', function () {
  this.timeout(150_000);
  const agents = new LoopbackAgents('coord', 'COORD_LOGS');

  before(async () => {
    // A 1 s minimum sync interval instead of 15 s keeps the wait short; the rest is default.
    const start = (name: string, ip: string, server: boolean) =>
      agents.start({ name, ip, server, join: S1, config: { sync_coordinate_interval_min: '1s' } });
    start('s1', S1, true);
    // The clients start once the server listens: a first retry_join that finds nothing waits 30 s.
    await waitForHttp(url(S1, '/v1/agent/self'));
    start('c1', C1, false);
    start('c2', C2, false);
    for (const ip of [C1, C2]) await waitForHttp(url(ip, '/v1/agent/self'));
    await waitForLeader(S1);
  });

  after(function () {
    agents.stopAll(this);
  });

  it('every agent’s coordinate reaches /v1/coordinate/nodes within a bounded wait, read through a client', async () => {
    const nodes = await poll('three coordinates', async () => {
      const list = await json<{ Node: string; Coord: { Vec: number[] } }[]>(C1, '/v1/coordinate/nodes');
      return list.length === 3 ? list : undefined;
    });
    expect(nodes.map((n) => n.Node)).to.deep.equal(['c1', 'c2', 's1']);
    for (const n of nodes) expect(n.Coord.Vec).to.have.length(8);
    const one = await json<{ Node: string }[]>(C2, '/v1/coordinate/node/c1');
    expect(one.map((c) => c.Node)).to.deep.equal(['c1']);
    expect((await fetch(url(C2, '/v1/coordinate/node/ghost'))).status).to.equal(404);
  });

  it('the coordinates move off the origin: gossip probes are feeding Vivaldi', async () => {
    await poll('a coordinate away from the origin', async () => {
      const list = await json<{ Coord: { Vec: number[]; Error: number } }[]>(S1, '/v1/coordinate/nodes');
      return list.some((c) => c.Coord.Vec.some((v) => v !== 0) && c.Coord.Error < 1.5) ? true : undefined;
    });
  });

  it('proconsul rtt prints an estimate between two nodes, and to the agent itself by default', async () => {
    const two = await runCaptured(['rtt', `-http-addr=${C1}:8500`, 's1', 'c2']);
    expect(two.code, two.err).to.equal(0);
    expect(two.out).to.match(/^Estimated s1 <-> c2 rtt: \d+\.\d{3} ms \(using LAN coordinates\)\n$/);
    const self = await runCaptured(['rtt', `-http-addr=${C2}:8500`, 's1']);
    expect(self.out).to.match(/^Estimated s1 <-> c2 rtt: /);
  });

  it('?near=_agent puts the asking agent’s node first, from each client', async () => {
    for (const [ip, node] of [
      [C1, 'c1'],
      [C2, 'c2'],
    ] as const) {
      const nodes = await json<{ Node: string }[]>(ip, '/v1/catalog/nodes?near=_agent');
      expect(nodes.map((n) => n.Node)[0], ip).to.equal(node);
      expect(nodes).to.have.length(3);
    }
  });

  it('/v1/coordinate/datacenters lists dc1 with its server’s WAN coordinate (from a client too); rtt -wan works', async () => {
    const dcs = await json<{ Datacenter: string; AreaID: string; Coordinates: { Node: string }[] }[]>(
      C1,
      '/v1/coordinate/datacenters',
    );
    expect(dcs.map((d) => [d.Datacenter, d.AreaID, d.Coordinates.map((c) => c.Node)])).to.deep.equal([['dc1', 'wan', ['s1']]]);
    const wan = await runCaptured(['rtt', '-wan', `-http-addr=${S1}:8500`, 's1.dc1']);
    expect(wan.code, wan.err).to.equal(0);
    expect(wan.out).to.match(/^Estimated s1\.dc1 <-> s1\.dc1 rtt: \d+\.\d{3} ms \(using WAN coordinates\)\n$/);
  });
});
